/**
 * The JSDoc examples of our modules as one test module. `deno test --doc`
 * runs each example as a module of its own in a fresh isolate, ~0.3 s of CPU
 * apiece on a 2-core machine: our ~200 examples were a quarter of the test
 * command's CPU. Here every example runs as a `Deno.test` of one module: its
 * imports become dynamic imports (relative ones resolved against the file it
 * documents, as `deno test --doc` resolves them), its body the test's body.
 * Which blocks run is `deno test --doc`'s rule for this house: a fence
 * opened as `ts` runs, one opened as `ts ignore` does not; any other fence in a JSDoc comment is
 * refused, so that nothing is skipped unseen. `deno check --doc` still
 * type-checks each example as its own module.
 *
 * Comments and imports are found by Deno's own parser (the lint plugin API).
 *
 * @module
 */

/** One runnable example: where it is, and its code. */
export interface DocExample {
  /** `path#first-last`, named as `deno test --doc` names it (its fence's lines, the last + 1). */
  name: string;
  /** The documented file's URL, against which relative imports resolve. */
  url: string;
  code: string;
}

/** Runs one visitor over `source` with Deno's parser (a lint plugin of one rule that reports nothing). */
function visit(path: string, source: string, create: Deno.lint.Rule["create"]): void {
  Deno.lint.runPlugin({ name: "examples", rules: { visit: { create } } }, path, source);
}

/** Every block comment of a TypeScript source, by Deno's parser: text and where it starts. */
function comments(path: string, source: string): { value: string; start: number }[] {
  const found: { value: string; start: number }[] = [];
  visit(path, source, (context) => {
    for (const c of context.sourceCode.getAllComments()) {
      if (c.type === "Block") found.push({ value: c.value, start: c.range[0] });
    }
    return {};
  });
  return found;
}

/**
 * The `ts` fenced blocks of a file's JSDoc comments (not those marked `ignore`);
 * throws on a fence of another kind.
 */
export function docExamples(path: string, source: string, label = path): DocExample[] {
  const url = new URL(`file://${path}`).href;
  const examples: DocExample[] = [];
  for (const comment of comments(path, source)) {
    if (!comment.value.startsWith("*")) continue;
    const firstLine = source.slice(0, comment.start).split("\n").length;
    const lines = comment.value.split("\n").map((l) => l.replace(/^\s*\* ?/, ""));
    let open: { at: number; runs: boolean; body: string[] } | undefined;
    for (const [i, line] of lines.entries()) {
      const fence = line.match(/^```(.*)$/);
      if (!fence) {
        open?.body.push(line);
        continue;
      }
      if (open) {
        if (open.runs) {
          examples.push({
            name: `${label}#${firstLine + open.at}-${firstLine + i + 1}`,
            url,
            code: open.body.join("\n"),
          });
        }
        open = undefined;
        continue;
      }
      const info = fence[1]!.trim();
      if (info !== "ts" && info !== "ts ignore") {
        throw new Error(
          `${label}:${
            firstLine + i
          }: a JSDoc fence of "${info}": write \`\`\`ts or \`\`\`ts ignore`,
        );
      }
      open = { at: i, runs: info === "ts", body: [] };
    }
  }
  return examples;
}

/** The import declarations of an example, by Deno's parser. */
function imports(code: string): Deno.lint.ImportDeclaration[] {
  const found: Deno.lint.ImportDeclaration[] = [];
  visit("/example.ts", code, () => ({ ImportDeclaration: (node) => void found.push(node) }));
  return found;
}

/** An import declaration as the dynamic import a function body may hold ("" for types only). */
function dynamicImport(node: Deno.lint.ImportDeclaration, base: string): string {
  const specifier = node.source.value;
  const resolved = /^\.{1,2}\//.test(specifier) ? new URL(specifier, base).href : specifier;
  const load = `await import(${JSON.stringify(resolved)})`;
  if (node.importKind === "type") return "";
  const names: string[] = [];
  let namespace: string | undefined;
  for (const s of node.specifiers) {
    if (s.type === "ImportNamespaceSpecifier") namespace = s.local.name;
    else if (s.type === "ImportDefaultSpecifier") names.push(`default: ${s.local.name}`);
    else if (s.importKind !== "type") {
      const imported = s.imported.type === "Identifier" ? s.imported.name : s.imported.value;
      names.push(imported === s.local.name ? imported : `${imported}: ${s.local.name}`);
    }
  }
  if (namespace) return `const ${namespace} = ${load};`;
  if (node.specifiers.length === 0) return `${load};`;
  return names.length ? `const { ${names.join(", ")} } = ${load};` : "";
}

/** An example's code as an async function's body: its imports made dynamic. */
export function exampleBody(example: DocExample): string {
  let code = example.code;
  // From the last import to the first, so the earlier ranges stay valid.
  for (const node of imports(code).reverse()) {
    const [start, end] = node.range;
    code = code.slice(0, start) + dynamicImport(node, example.url) + code.slice(end);
  }
  return code;
}

/** One module whose default export lists every example as a test: its name and body. */
export function examplesModule(examples: readonly DocExample[]): string {
  const tests = examples.map((e) =>
    `{ name: ${JSON.stringify(e.name)}, fn: async () => {\n${exampleBody(e)}\n} },\n`
  );
  return `export default [\n${tests.join("")}];\n`;
}

/** Loads what {@link examplesModule} wrote, from a temporary file. */
export async function loadExamples(
  examples: readonly DocExample[],
): Promise<{ name: string; fn: () => Promise<void> }[]> {
  const file = await Deno.makeTempFile({ prefix: "wandb-examples-", suffix: ".ts" });
  try {
    await Deno.writeTextFile(file, examplesModule(examples));
    return (await import(new URL(`file://${file}`).href)).default;
  } finally {
    await Deno.remove(file);
  }
}
