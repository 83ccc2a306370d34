// lib/github/comment.ts's comment-mode decision as a unit, as a table written
// from the documented modes: always writes; changes leaves a comment that says
// the same (by the report's digest); failures posts nothing for a passing
// report unless a comment is there to update (a fixed PR shows it); a body
// without a state line (not ours, or older) is always written.
import { assertEquals } from "../_assert.ts";
import { commentDecision } from "../../lib/github/comment.ts";
import { commentMarker, type ReportVerdict, withState } from "../../lib/ground/marker.ts";
import type { CommentMode } from "../../lib/ground/model.ts";

const MARKER = commentMarker("acme/vision", "W&B");
const body = (verdict: ReportVerdict, text = "### report") => withState(MARKER, verdict, text);
const comment = (text: string) => ({
  id: "IC_1",
  url: "https://github.com/o/r/pull/7#c1",
  body: text,
});

Deno.test("commentDecision: the comment modes, as a table", () => {
  const cases: [CommentMode, string, string | undefined, string][] = [
    // mode, new body, the comment there, what happens
    ["always", body("pass"), undefined, "write"],
    ["always", body("pass"), body("pass"), "write"],
    ["changes", body("pass"), undefined, "write"],
    ["changes", body("fail"), body("fail"), "unchanged"],
    ["changes", body("fail", "### report, now 3 runs"), body("fail"), "write"],
    ["changes", body("incomplete"), body("incomplete"), "unchanged"],
    ["changes", "<!-- m -->\nno state line", "<!-- m -->\nno state line", "write"],
    ["failures", body("pass"), undefined, "none"],
    ["failures", body("fail"), undefined, "write"],
    ["failures", body("incomplete"), undefined, "write"],
    ["failures", body("pass"), body("fail"), "write"],
  ];
  for (const [mode, text, there, expected] of cases) {
    const decision = commentDecision(mode, text)(there === undefined ? undefined : comment(there));
    const got = decision.write ? "write" : decision.action;
    assertEquals(got, expected, `${mode}, ${there === undefined ? "no comment" : "a comment"}`);
  }
});
