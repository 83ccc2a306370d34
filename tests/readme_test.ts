// The README's Inputs table is the report's option table, as --help prints it.
import { inputsMarkdown } from "../lib/inputs/report.ts";
import { assert, assertEquals } from "./_assert.ts";

const README = await Deno.readTextFile(new URL("../README.md", import.meta.url));
const REFERENCE = await Deno.readTextFile(new URL("../docs/reference.md", import.meta.url));

/** A markdown table's rows with `deno fmt`'s padding taken out. */
function rows(table: string): string[] {
  return table.trim().split("\n").map((line) =>
    line.replace(/-{3,}/g, "---").replace(/\s+/g, " ").trim()
  );
}

Deno.test("docs: every generated table equals its source (deno task readme)", async () => {
  const { generatedBlocks } = await import("./tools/readme.ts");
  const blocks = await generatedBlocks();
  assert(blocks.some((b) => b.content === inputsMarkdown()), "the options table is generated");
  for (const block of blocks) {
    const text = await Deno.readTextFile(new URL(`../${block.file}`, import.meta.url));
    const start = text.indexOf(`<!-- ${block.marker}:start`);
    const end = text.indexOf(`<!-- ${block.marker}:end -->`);
    assert(start >= 0 && end > start, `${block.file} has the ${block.marker} table`);
    assertEquals(
      rows(text.slice(text.indexOf("\n", start) + 1, end)),
      rows(block.content),
      block.marker,
    );
  }
});

Deno.test("README: a guide of at most 300 lines, 'Use it in your repository' within the first 80", () => {
  const lines = README.split("\n");
  assert(lines.length <= 300, String(lines.length));
  const at = lines.findIndex((line) => line === "## Use it in your repository");
  assert(at >= 0 && at < 80, String(at));
  // The first workflow a user can copy, and the pictures of what lands in the PR, in that section.
  const section = lines.slice(at, lines.findIndex((l, i) => i > at && l.startsWith("## "))).join(
    "\n",
  );
  assert(section.includes("uses: org/wandb-report/.github/workflows/wandb-report.yml@v0"));
  assert(section.includes("(docs/comment.png)") && section.includes("(docs/terminal.png)"));
  for (const picture of ["docs/comment.png", "docs/terminal.png"]) {
    assert(Deno.statSync(new URL(`../${picture}`, import.meta.url)).size > 10_000, picture);
  }
});

Deno.test("docs: every relative link of the README and the docs names a file that exists", () => {
  const problems: string[] = [];
  for (
    const file of [
      "README.md",
      ...[...Deno.readDirSync(new URL("../docs/", import.meta.url))]
        .filter((e) => e.name.endsWith(".md")).map((e) => `docs/${e.name}`),
    ]
  ) {
    const text = Deno.readTextFileSync(new URL(`../${file}`, import.meta.url));
    for (const [, target] of text.matchAll(/\]\(([^)#:\s]+)(#[^)]*)?\)/g)) {
      const url = new URL(target!, new URL(`../${file}`, import.meta.url));
      try {
        Deno.statSync(url);
      } catch {
        problems.push(`${file}: ${target}`);
      }
    }
  }
  assertEquals(problems, []);
});

Deno.test("README: the first lines say what the tool is, then the two commands", () => {
  const head = README.split("\n").slice(0, 16).join("\n");
  assert(head.includes("wandb-report tells CI"), head);
  assert(head.includes("task demo") && head.includes("task test"), head);
});

Deno.test("docs/reference.md: the Outputs table has every output the report writes", async () => {
  const { stepOutputs, classify } = await import("../lib/classify.ts");
  const names = [...Object.keys(stepOutputs(classify([], []), "")), "GATE_PASSED"];
  const outputs = REFERENCE.slice(REFERENCE.indexOf("## Outputs"));
  for (const name of names) assert(outputs.includes(`| \`${name}\``), name);
});
