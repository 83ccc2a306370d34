// The test command's modules. `deno test` gives every test module an isolate
// of its own, and each pays again for the runtime and for compiling what it
// imports (zod, fast-check, our modules): measured ~0.55 s of CPU per test
// file of ours, 67-73 s for the 63 files outside e2e/ run apart against
// 31-34 s gathered into one module. So `deno task test` runs the test files
// gathered into three modules (tests/suite/: units, the simulated runner's
// workflows, the other end-to-end files; three, so that both cores stay
// busy), while each file stays a module of its own for `deno test FILE`. Tests of one gathered module share an
// isolate: they run one after another, and none sets globals or the process
// environment (they pass env explicitly), so none sees another's state.

// The simulated runner's files: most of their time is step processes.
const workflow = (path: string) => path.startsWith("e2e/workflow");

/** Which test files each module of tests/suite/ gathers, by path under tests/. */
export const SUITES: Record<string, (path: string) => boolean> = {
  units: (path) => !path.startsWith("e2e/"),
  workflows: workflow,
  e2e: (path) => path.startsWith("e2e/") && !workflow(path),
};

/** Every `*_test.ts` under tests/ (tools/ has none), sorted, as paths relative to tests/. */
export function testFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: URL, prefix: string) => {
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.isDirectory) walk(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`);
      else if (entry.isFile && entry.name.endsWith("_test.ts")) files.push(prefix + entry.name);
    }
  };
  walk(new URL(".", import.meta.url), "");
  return files.sort();
}

/**
 * Imports the test files of suite `name` (their `Deno.test` calls register
 * while this module loads); fails when it finds none, so a wrong filter
 * cannot pass for an empty suite.
 */
export async function gather(name: keyof typeof SUITES): Promise<void> {
  const files = testFiles().filter(SUITES[name]!);
  if (files.length === 0) throw new Error(`tests/suite/${name}.ts gathers no test file`);
  for (const file of files) await import(new URL(file, import.meta.url).href);
}
