// lib/output.ts as properties: whatever text reaches the printer inside
// GitHub Actions, no line it writes can become a workflow command (`::` at a
// line's start after blanks, `##[` anywhere) but the masks and annotations
// it writes itself, a registered secret never appears, and each secret's mask
// comes before any other line.
import fc from "fast-check";
import { assert, assertEquals } from "./_assert.ts";
import { Printer } from "../lib/output.ts";
import { Redactor } from "../lib/ground/redact.ts";

const SECRET = "wb-s3cr3t-0123456789abcdef";
// Text made of what workflow commands, line breaks and secrets are made of.
const TEXT = fc.string({
  unit: fc.constantFrom(
    ":",
    "::",
    "#",
    "##[",
    "[",
    " ",
    "\t",
    "\n",
    "\r",
    "\u2028",
    "a",
    "error",
    SECRET,
  ),
  maxLength: 30,
});

function printer(actions: boolean) {
  const lines: { stream: string; text: string }[] = [];
  const io = {
    env: { GITHUB_ACTIONS: actions ? "true" : undefined },
    stdout: (text: string) => lines.push({ stream: "out", text }),
    stderr: (text: string) => lines.push({ stream: "err", text }),
  };
  const redactor = new Redactor();
  redactor.register(SECRET);
  return { print: new Printer(io, redactor), lines };
}

Deno.test("Printer inside Actions: no text becomes a workflow command; secrets masked first, never shown", () => {
  fc.assert(
    fc.property(TEXT, fc.constantFrom("err", "say", "out", "table", "progress"), (text, how) => {
      const { print, lines } = printer(true);
      if (how === "say") print.say("warning", "warning", text);
      else if (how === "err") print.err(text);
      else if (how === "out") print.out(text);
      else if (how === "table") print.table(text);
      else print.progress(text);
      const written = lines.map((l) => l.text).join("").split("\n");
      // The runner reads a line at a time; ours: the mask first, then one annotation for say.
      const ours = (line: string, i: number) =>
        (i === 0 && line === `::add-mask::${SECRET}`) ||
        (how === "say" && /^::warning::/.test(line) && !line.slice(2).includes("\n"));
      for (const [i, line] of written.entries()) {
        if (ours(line, i)) continue;
        assert(
          !/^\s*::/.test(line) && !line.includes("##["),
          `${how}(${JSON.stringify(text)}) wrote ${JSON.stringify(line)}`,
        );
      }
      return written.slice(1).every((line) => !line.includes(SECRET)) &&
        written[0] === `::add-mask::${SECRET}`;
    }),
  );
});

Deno.test("Printer outside Actions: no mask line; the secret still never shown", () => {
  const { print, lines } = printer(false);
  print.err(`token ${SECRET}\n`);
  print.say("error", "error", `bad ${SECRET}`);
  assertEquals(lines.map((l) => l.text), ["token ***\n", "error: bad ***\n"]);
});
