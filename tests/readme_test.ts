// The README's Inputs table is the report's option table, as --help prints it.
import { inputsMarkdown } from "../lib/inputs/report.ts";
import { assert, assertEquals } from "./_assert.ts";

const README = await Deno.readTextFile(new URL("../README.md", import.meta.url));

/** A markdown table's rows with `deno fmt`'s padding taken out. */
function rows(table: string): string[] {
  return table.trim().split("\n").map((line) =>
    line.replace(/-{3,}/g, "---").replace(/\s+/g, " ").trim()
  );
}

Deno.test("README: the Inputs table is generated from the option table (deno task readme)", () => {
  const start = README.indexOf("<!-- inputs:start");
  const end = README.indexOf("<!-- inputs:end -->");
  assert(start >= 0 && end > start, "the README has the generated inputs table");
  const inReadme = README.slice(README.indexOf("\n", start) + 1, end);
  assertEquals(rows(inReadme), rows(inputsMarkdown()));
});

Deno.test("README: the first lines say what the tool is, then the two commands", () => {
  const head = README.split("\n").slice(0, 16).join("\n");
  assert(head.includes("wandb-report tells CI"), head);
  assert(head.includes("task demo") && head.includes("task test"), head);
});

Deno.test("README: the Outputs table has every output the report writes", async () => {
  const { stepOutputs, classify } = await import("../lib/classify.ts");
  const names = [...Object.keys(stepOutputs(classify([], []), "")), "GATE_PASSED"];
  const outputs = README.slice(README.indexOf("## Outputs"), README.indexOf("## While training"));
  for (const name of names) assert(outputs.includes(`| \`${name}\``), name);
});
