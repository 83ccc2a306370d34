import { parseFlags } from "../../lib/inputs/args.ts";
import { InvalidInputError } from "../../lib/ground/errors.ts";
import { assertEquals, assertThrows } from "../_assert.ts";

const SPECS = { sha: { type: "string" as const }, json: { type: "boolean" as const } };

Deno.test("parseFlags: values, = form, last one wins", () => {
  assertEquals(parseFlags(["--sha", "a", "--json"], SPECS), { sha: "a", json: true });
  assertEquals(parseFlags(["--sha=b"], SPECS), { sha: "b" });
  assertEquals(parseFlags(["--sha", "a", "--sha", "c"], SPECS), { sha: "c" });
  assertEquals(parseFlags([], SPECS), {});
});

Deno.test("parseFlags: mistakes name the flag", () => {
  const message = (argv: string[]) =>
    assertThrows(() => parseFlags(argv, SPECS), InvalidInputError).message;
  assertEquals(message(["--nope"]), "--nope: expected one of the flags listed by --help");
  assertEquals(message(["--sha"]), "--sha: expected a value after the flag");
  assertEquals(message(["--json=yes"]), "--json: expected no value (it is a switch)");
  assertEquals(message(["stray"]), 'arguments: expected only --flags, got "stray"');
});
