import { annotation, appendOutputs, formatOutputs, maskCommand } from "../../lib/ground/actions.ts";
import { assertEquals, assertMatch } from "../_assert.ts";

Deno.test("formatOutputs: name=value lines, heredoc for multi-line values", () => {
  assertEquals(formatOutputs({ A: "1", B: "True" }), "A=1\nB=True\n");
  const text = formatOutputs({ M: "line 1\nline 2" });
  assertMatch(text, /^M<<(ghadelimiter_[0-9a-f-]+)\nline 1\nline 2\n\1\n$/);
});

Deno.test("appendOutputs: appends, never truncates", async () => {
  const path = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(path, "EARLIER=1\n");
    await appendOutputs(path, { NUM_FINISHED: "2" });
    assertEquals(await Deno.readTextFile(path), "EARLIER=1\nNUM_FINISHED=2\n");
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("maskCommand", () => {
  assertEquals(maskCommand("v"), "::add-mask::v");
});

Deno.test("annotation: one command whatever the message holds", () => {
  assertEquals(annotation("notice", "plain"), "::notice::plain");
  // A carriage return is data to show, not a line end to keep.
  assertEquals(annotation("warning", "100% a\r\nb"), "::warning::100%25 a\\r%0Ab");
  // ESC and BEL from data reach no terminal through an annotation.
  assertEquals(annotation("error", "x\x1b]52;c;aGk=\x07"), "::error::x\\x1b]52;c;aGk=\\x07");
  assertEquals(annotation("error", "::add-mask::x").split("\n").length, 1);
});
