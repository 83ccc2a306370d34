// The test configuration repeats the runtime imports (Deno configs cannot
// extend one another); they must stay the versions the tool itself runs with.
import root from "../deno.json" with { type: "json" };
import tests from "./deno.json" with { type: "json" };
import { assertEquals } from "./_assert.ts";

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
