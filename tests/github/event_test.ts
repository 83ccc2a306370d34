// lib/github/event.ts as a unit: the payloads GitHub sends (its own examples,
// @octokit/webhooks-examples) parse; a comment triggers only where GitHub
// shows the phrase as prose, from an allowed author, within what GitHub
// stores; the arguments after the phrase keep the old action's outputs.
import {
  decideComment,
  IssueCommentEventSchema,
  MAX_BODY_BYTES,
  parseCommand,
  parseEvent,
  SUPPORTED_EVENTS,
} from "../../lib/github/event.ts";
import { InvalidInputError } from "../../lib/ground/errors.ts";
import { commentEvent, examplesOf } from "../_events.ts";
import { assert, assertEquals, assertMatch, assertRejects, assertThrows } from "../_assert.ts";

const RULES = { phrase: "/get-runs", allowed: ["OWNER", "MEMBER", "COLLABORATOR"] as const };

Deno.test("event: every payload GitHub's examples give of a served event parses", () => {
  // schedule is no webhook (GitHub's examples have none); pull_request_target
  // sends pull_request's payload.
  const served = SUPPORTED_EVENTS.filter((name) => name !== "schedule");
  let parsed = 0;
  for (const name of served) {
    const source = name === "pull_request_target" ? "pull_request" : name;
    for (const example of examplesOf(source)) {
      assertEquals(parseEvent(name, example, "GITHUB_EVENT_PATH").name, name);
      parsed++;
    }
  }
  assert(parsed > 50, `${parsed} examples`);
});

Deno.test("event: an event not served, or a payload of the wrong shape, is one input error naming where it came from", () => {
  const other = assertThrows(
    () => parseEvent("deployment", {}, "GITHUB_EVENT_PATH"),
    InvalidInputError,
  );
  assertMatch(
    other.message,
    /^GITHUB_EVENT_NAME: expected one of issue_comment, .*, got "deployment"/,
  );
  const payload = commentEvent({ body: "/get-runs" }) as { issue: { number: unknown } };
  payload.issue.number = "7";
  const shape = assertThrows(
    () => parseEvent("issue_comment", payload, "GITHUB_EVENT_PATH"),
    InvalidInputError,
  );
  assertMatch(shape.message, /^GITHUB_EVENT_PATH: expected an issue_comment event payload/);
  assertMatch(shape.message, /issue\.number/);
  assertEquals(shape.message.includes("\n"), false);
});

async function decide(body: string, opts: Parameters<typeof commentEvent>[0] | object = {}) {
  const payload = IssueCommentEventSchema.parse(commentEvent({ body, ...opts }));
  return await decideComment(payload, RULES);
}

Deno.test("event: a comment triggers only where GitHub shows the phrase as prose at a line's start", async () => {
  const cases: [string, boolean][] = [
    ["/get-runs", true],
    ["thanks!\n   /get-runs run-id=abc123", true],
    ["# /get-runs", false], // a heading's text starts with "#"
    ["/get-runsabc", false], // the phrase, then no space
    ["please /get-runs", false], // not at the line's start
    ["```\n/get-runs\n```", false], // a fenced code block
    ["    /get-runs", false], // an indented code block
    ["> /get-runs", false], // a quote
    ["<!--\n/get-runs\n-->", false], // a hidden HTML comment
    ["<!-- /get-runs -->", false], // inside an HTML comment on one line
    ["see <!-- x -->\n/get-runs", true], // a paragraph's line after an inline comment
    ["- /get-runs", false], // a list item is not a paragraph at the top level
    ["text\n\n/get-runs wait=30m", true],
  ];
  for (const [body, triggers] of cases) {
    const decision = await decide(body);
    assertEquals([body, decision.triggered], [body, triggers]);
  }
});

Deno.test("event: who wrote it, and whether it is a new comment on a PR, come before the body is read", async () => {
  // A body that would be an input error if it were read.
  const bad = "/get-runs run-id=a/b";
  const stranger = await decide(bad, { association: "NONE", login: "mallory" });
  assertEquals(stranger, {
    triggered: false,
    reason: "@mallory is NONE, not one of OWNER, MEMBER, COLLABORATOR " +
      "(the allowed author associations)",
  });
  const edited = await decide(bad, { action: "edited" });
  assertMatch(!edited.triggered ? edited.reason : "", /the comment was edited; only newly created/);
  const issue = await decide(bad, { onPullRequest: false, number: 12 });
  assertEquals(!issue.triggered && issue.reason, "#12 is an issue, not a pull request");
  await assertRejects(() => decide(bad), InvalidInputError);
});

Deno.test("event: a body larger than GitHub stores is not read, counted in UTF-8 bytes", async () => {
  // U+1F600 is 2 UTF-16 units and 4 UTF-8 bytes.
  const fits = "/get-runs\n" + "😀".repeat(65_533) + "ok";
  assertEquals(new TextEncoder().encode(fits).length, MAX_BODY_BYTES);
  assertEquals((await decide(fits)).triggered, true);
  const over = fits + "x";
  const decision = await decide(over);
  assertEquals(
    !decision.triggered && decision.reason,
    `the comment is ${
      MAX_BODY_BYTES + 1
    } bytes long, more than GitHub stores (262144); it is not read`,
  );
});

Deno.test("event: the arguments after the phrase, as actions-chatops passed them on and our keys", () => {
  // TRAILING_TOKEN: the first word after the phrase; TRAILING_LINE: the rest of the line.
  assertEquals(parseCommand("  a1b2c3d4   please now "), {
    trailingToken: "a1b2c3d4",
    trailingLine: "a1b2c3d4   please now",
    runId: "a1b2c3d4",
    ignored: ["please", "now"],
  });
  assertEquals(parseCommand("sha=ABCDEF1 wait=90m run-id=x.y-z_1 color=red"), {
    trailingToken: "sha=ABCDEF1",
    trailingLine: "sha=ABCDEF1 wait=90m run-id=x.y-z_1 color=red",
    sha: "abcdef1",
    wait: "90m",
    runId: "x.y-z_1",
    ignored: ["color=red"],
  });
  // A first word W&B could not have made is not taken for a run id.
  assertEquals(parseCommand("<b>hi</b>").runId, undefined);
  assertEquals(parseCommand("").trailingToken, "");
  // Control and line-separator characters become spaces: the outputs stay one line.
  assertEquals(parseCommand("abc\u2028::warning::x\u0007y").trailingLine, "abc ::warning::x y");
});

Deno.test("event: a malformed value of a key we know is an error naming the argument, not a report on something else", () => {
  const cases: [string, RegExp][] = [
    ["run-id=a/b", /^comment argument "run-id=a\/b": expected run-id=ID with a W&B run id/],
    ["wait=soon", /^comment argument "wait=soon": expected wait=DURATION with /],
    // Any printable token (a tag, a build id), but at most 100 characters.
    [`sha=${"g".repeat(101)}`, /^comment argument "sha=g{33}\.\.\.": expected sha=SHA with /],
  ];
  for (const [rest, message] of cases) {
    const error = assertThrows(() => parseCommand(rest), InvalidInputError);
    assertMatch(error.message, message);
  }
});
