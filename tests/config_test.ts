// The test configuration repeats the runtime imports (Deno configs cannot
// extend one another); they must stay the versions the tool itself runs with.
import root from "../deno.json" with { type: "json" };
import tests from "./deno.json" with { type: "json" };
import { assertEquals } from "./_assert.ts";
import { SUITES, testFiles } from "./_suite.ts";

Deno.test("tests/deno.json pins every runtime import exactly as deno.json does", () => {
  const runtime = root.imports as Record<string, string>;
  const mirrored = tests.imports as Record<string, string>;
  for (const [name, specifier] of Object.entries(runtime)) {
    assertEquals(
      mirrored[name],
      specifier,
      `${name} differs between deno.json and tests/deno.json`,
    );
  }
});

Deno.test("the test command runs every test file once: e2e/ by folder, the others gathered by tests/suite/", () => {
  const command = (root.tasks.test as { command: string }).command;
  const run = command.slice(command.lastIndexOf("deno test "));
  const paths = run.split(" ").slice(2).filter((word) =>
    !word.startsWith("-") && word !== "tests/deno.json"
  );
  const all = testFiles();
  const ran = paths.flatMap((path) => {
    const suite = path.match(/^tests\/suite\/(\w+)\.ts$/)?.[1];
    if (suite) return all.filter(SUITES[suite]!);
    if (path.endsWith("/")) return all.filter((file) => `tests/${file}`.startsWith(path));
    return [path.replace(/^tests\//, "")];
  });
  assertEquals(ran.toSorted(), all);
  assertEquals(all.length > 80, true, `${all.length} test files`);
});
