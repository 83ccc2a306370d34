// The house holds its shape: every import in lib/ goes to a room on the same
// floor or below (docs/architecture.md), and a private file (_name.ts) is
// imported only from its own folder. Read from the code's own import lines.
import { dirname, join, relative } from "node:path";
import { assert, assertEquals } from "./_assert.ts";
import houseLint from "./tools/house_lint.ts";

const LIB = new URL("../lib/", import.meta.url).pathname;

/** The floor of a file under lib/, by the first rule that matches its path. */
const FLOORS: [RegExp, number][] = [
  [/^cli\//, 8],
  [/^inputs\//, 7],
  [/^(pipeline\/|merge\/|chatops\.ts$|accept\.ts$|queue\.ts$|demo\.ts$)/, 6],
  [/^report\//, 5],
  [/^(gate\/|history\/|output\.ts$)/, 4],
  [/^(wandb\/|github\/|compare\.ts$)/, 3],
  [/^(fs|graphql|classify|schemas)\.ts$|^emulator\//, 2],
  [/^ground\//, 1],
];

function floorOf(path: string): number {
  const found = FLOORS.find(([pattern]) => pattern.test(path));
  if (!found) {
    throw new Error(`lib/${path} stands on no floor: add it to docs/architecture.md and here`);
  }
  return found[1];
}

function* sources(dir: string): Generator<string> {
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* sources(path);
    else if (entry.name.endsWith(".ts")) yield path;
  }
}

/** The relative imports of a file: static `from "…"` and dynamic `import("…")`, outside comments. */
function imports(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return [...code.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+\.ts)"/g)].map((m) => m[1]!);
}

Deno.test("architecture: no import in lib/ runs back up a floor; private files stay in their folder", () => {
  const problems: string[] = [];
  for (const file of sources(LIB)) {
    const from = relative(LIB, file);
    for (const spec of imports(Deno.readTextFileSync(file))) {
      const target = relative(LIB, join(dirname(file), spec));
      if (target.startsWith("..")) continue; // deno.json and the like
      if (floorOf(target) > floorOf(from)) {
        problems.push(
          `lib/${from} (floor ${floorOf(from)}) imports lib/${target} (floor ${floorOf(target)})`,
        );
      }
      const name = target.split("/").at(-1)!;
      if (
        name.startsWith("_") && dirname(target) !== "." && !from.startsWith(`${dirname(target)}/`)
      ) {
        problems.push(`lib/${from} imports lib/${target}, private to lib/${dirname(target)}/`);
      }
    }
  }
  assertEquals(problems, []);
});

Deno.test("architecture: the check fails on an upward import (it is no test that cannot fail)", () => {
  assertEquals(floorOf("gate/mod.ts") > floorOf("compare.ts"), true);
  assertEquals(imports('import { x } from "../cli/mod.ts";\n// import { y } from "./z.ts";'), [
    "../cli/mod.ts",
  ]);
  assertEquals(imports('const { a } = await import("../emulator/server.ts");'), [
    "../emulator/server.ts",
  ]);
});

Deno.test("architecture: no file in lib/ is over 500 lines", () => {
  const long = [...sources(LIB)].flatMap((file) => {
    const lines = Deno.readTextFileSync(file).split("\n").length;
    return lines > 500 ? [`lib/${relative(LIB, file)}: ${lines}`] : [];
  });
  assertEquals(long, []);
});

Deno.test("architecture: no function in lib/ is over 80 lines (Deno's parser, the lint plugin deno lint runs)", () => {
  const long = [...sources(LIB)].flatMap((file) =>
    Deno.lint.runPlugin(houseLint, file, Deno.readTextFileSync(file)).map((d) =>
      `lib/${relative(LIB, file)}:${d.range[0]}: ${d.message}`
    )
  );
  assertEquals(long, []);
  // The rule can fail: 81 lines are flagged, 80 are not, arrows and methods too.
  const body = (n: number) => Array.from({ length: n - 2 }, (_, i) => `  const v${i} = ${i};`);
  const fn = (n: number) => ["export function f() {", ...body(n), "}"].join("\n");
  const arrow = (n: number) => ["const g = () => {", ...body(n), "};"].join("\n");
  const method = (n: number) => ["class C {", "  m() {", ...body(n), "  }", "}"].join("\n");
  const flagged = (source: string) => Deno.lint.runPlugin(houseLint, "/x/lib/a.ts", source).length;
  assertEquals([flagged(fn(80)), flagged(fn(81))], [0, 1]);
  assertEquals([flagged(arrow(81)), flagged(method(81))], [1, 1]);
  assertEquals(Deno.lint.runPlugin(houseLint, "/x/tests/a.ts", fn(200)).length, 0);
});

Deno.test("architecture: no test imports bench/ (benches may use the tests' fixtures, not the reverse)", () => {
  const tests = new URL("./", import.meta.url).pathname;
  const reaching = [...sources(tests)].filter((file) =>
    /from\s+"(?:\.\.\/)+bench\//.test(Deno.readTextFileSync(file))
  ).map((file) => relative(tests, file));
  assertEquals(reaching, []);
});

/** Folders whose rooms others reach only through the face, mod.ts. */
const FACED = ["wandb", "github"];

/** Imports into a faced folder from outside it that skip its face. */
function faceProblems(from: string, targets: readonly string[]): string[] {
  return targets.flatMap((target) => {
    const folder = FACED.find((f) => target.startsWith(`${f}/`));
    if (!folder || from.startsWith(`${folder}/`) || target === `${folder}/mod.ts`) return [];
    return [`lib/${from} imports lib/${target}: use lib/${folder}/mod.ts`];
  });
}

Deno.test("architecture: W&B and GitHub are reached through their faces (lib/wandb/mod.ts, lib/github/mod.ts)", () => {
  const problems = [...sources(LIB)].flatMap((file) =>
    faceProblems(
      relative(LIB, file),
      imports(Deno.readTextFileSync(file)).map((spec) => relative(LIB, join(dirname(file), spec))),
    )
  );
  assertEquals(problems, []);
  // The check can fail: a room reaching past the face is named; the face's own rooms are not.
  assertEquals(faceProblems("pipeline/collect.ts", ["wandb/client.ts", "wandb/mod.ts"]), [
    "lib/pipeline/collect.ts imports lib/wandb/client.ts: use lib/wandb/mod.ts",
  ]);
  assertEquals(faceProblems("github/pulls.ts", ["github/client.ts"]), []);
});

Deno.test("architecture: docs/architecture.md names every room of lib/ (each folder, each loose file)", () => {
  const doc = Deno.readTextFileSync(new URL("../docs/architecture.md", import.meta.url));
  const rooms = [...Deno.readDirSync(LIB)].map((e) =>
    e.isDirectory ? `lib/${e.name}/` : `lib/${e.name}`
  );
  assertEquals(rooms.filter((room) => !doc.includes(`\`${room}\``)).sort(), []);
});

Deno.test("architecture: unit tests are laid out like lib/ (each test folder is a folder of lib/)", () => {
  const tests = new URL("./", import.meta.url).pathname;
  const apart = new Set(["e2e", "tools", "suite"]);
  const folders = [...Deno.readDirSync(tests)].filter((e) => e.isDirectory && !apart.has(e.name));
  const strays = folders.filter((e) => {
    try {
      return !Deno.statSync(join(LIB, e.name)).isDirectory;
    } catch {
      return true;
    }
  }).map((e) => `tests/${e.name}/`);
  assertEquals(strays, []);
  assert(folders.length >= 5, `${folders.length} folders`);
});
