// Every JSDoc example of lib/ and the published entry points runs, each as a
// test of this one module (see tests/tools/doc_examples.ts for why not
// `deno test --doc`, and what is kept of its rules).
import { relative } from "node:path";
import { assert, assertEquals, assertRejects, assertThrows } from "./_assert.ts";
import { docExamples, loadExamples } from "./tools/doc_examples.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const ENTRY_POINTS = ["mod.ts", "types.ts", "emulator.ts", "chatops.ts", "demo.ts"];

function sources(): string[] {
  const files: string[] = ENTRY_POINTS.map((f) => `${ROOT}${f}`);
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) walk(path);
      else if (entry.name.endsWith(".ts")) files.push(path);
    }
  };
  walk(`${ROOT}lib`);
  return files.sort();
}

const FILES = sources().map((path) => ({
  path,
  label: relative(ROOT, path),
  source: Deno.readTextFileSync(path),
}));
const EXAMPLES = FILES.flatMap((f) => docExamples(f.path, f.source, f.label));

for (const example of await loadExamples(EXAMPLES)) {
  Deno.test(`example: ${example.name}`, example.fn);
}

Deno.test("examples: every ```ts block of a JSDoc comment is one of the tests", () => {
  // Counted apart from the extraction: a fence line in a comment.
  const fences = FILES.flatMap((f) => f.source.split("\n").filter((l) => /^\s*\* ```ts$/.test(l)));
  assertEquals(EXAMPLES.length, fences.length);
  assert(EXAMPLES.length > 150, `only ${EXAMPLES.length} examples found`);
});

Deno.test("examples: a failing example fails; imports resolve against the documented file; ignore and types are kept out", async () => {
  const source = [
    "/**",
    " * @example",
    " * ```ts",
    ' * import { deepStrictEqual as assertEquals } from "node:assert";',
    ' * import type { DocExample } from "./doc_examples.ts";',
    ' * import * as tools from "./doc_examples.ts";',
    " * const seen: DocExample[] = [];",
    " * assertEquals(typeof tools.docExamples, 'function');",
    " * assertEquals(seen.length, await Promise.resolve(1));",
    " * ```",
    " * ```ts ignore",
    " * throw new Error('never run');",
    " * ```",
    " */",
    "export const x = 1;",
  ].join("\n");
  const here = new URL("./tools/doc_examples_probe.ts", import.meta.url).pathname;
  const examples = docExamples(here, source, "probe.ts");
  assertEquals(examples.map((e) => e.name), ["probe.ts#3-11"]);
  const [probe] = await loadExamples(examples);
  await assertRejects(probe!.fn, Error, "Expected values to be strictly deep-equal");
  assertThrows(
    () => docExamples(here, "/**\n * ```js\n * 1;\n * ```\n */\nexport const y = 2;", "js.ts"),
    Error,
    'js.ts:2: a JSDoc fence of "js"',
  );
});
