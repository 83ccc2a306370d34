// lib/report/progress.ts as a unit: the sticky comment while a report waits
// starts with the report's marker (so the report replaces it), and a hostile
// project name or SHA, rendered by a CommonMark renderer (marked, not ours),
// makes no element, link or mention.
import { renderProgress } from "../../lib/report/progress.ts";
import { assertEquals, assertMatch } from "../_assert.ts";
import { rendered } from "../_markdown.ts";

const MARKER = "<!-- wandb-report key=acme/vision workflow=CI -->";

Deno.test("progress: the marker first, the project and short SHA, the counts, and when the report comes", () => {
  const body = renderProgress({
    marker: MARKER,
    project: "acme/vision",
    sha: "3f2c9a1b7d4e5f60718293a4b5c6d7e8f9012345",
    text: "waiting for training: 2 of 5 finished, 3 running, 4 min so far",
    waitText: "30m",
  });
  const lines = body.split("\n");
  assertEquals(lines[0], MARKER);
  assertEquals(lines[1], "### W&B report: acme/vision @ `3f2c9a1`");
  assertEquals(lines[3], "⏳ waiting for training: 2 of 5 finished, 3 running, 4 min so far");
  assertMatch(lines[5]!, /or after 30m\.<\/sub>$/);
});

Deno.test("progress: a hostile project or SHA makes no element, link or mention", () => {
  const body = renderProgress({
    marker: MARKER,
    project: "<img src=x onerror=alert(1)> [x](https://evil.example) @ana <!--",
    sha: "`<b>abc1234</b>",
    text: "waiting for training: 0 of 1 finished",
    waitText: "1h",
  });
  const { html, tags } = rendered(body.split("\n").slice(1).join("\n"));
  assertEquals([...new Set(tags)].sort(), ["code", "h3", "p", "sub"], html);
  // The text shows as typed; a mention is broken (a zero-width space after the @).
  assertMatch(html, /&lt;img src=x onerror=alert\(1\)&gt; \[x\]\(https:\/\/evil\.example\)/);
  assertEquals(/@ana/.test(html), false);
  // Only the SHA's hex is kept, 7 of it: the "b" of <b> is hex too.
  assertMatch(html, /<code>babc123<\/code>/);
});
