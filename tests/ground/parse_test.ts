// lib/ground/parse.ts: the one way a zod failure becomes our error — the
// first problem, where it is (a dotted path, its first step as the key) and
// what was wrong, handed to the caller's builder; a value that parses comes
// back as zod made it.
import { z } from "zod";
import { parseWith, type Problem } from "../../lib/ground/parse.ts";
import { assertEquals, assertThrows } from "../_assert.ts";

const SCHEMA = z.object({
  runs: z.array(z.object({ id: z.string(), metrics: z.record(z.string(), z.number()) })),
  pageSize: z.number().int().min(1).default(100),
});

function problemOf(value: unknown): Problem {
  let seen: Problem | undefined;
  assertThrows(
    () =>
      parseWith(SCHEMA, value, (problem) => {
        seen = problem;
        return new RangeError("built by the caller");
      }),
    RangeError,
    "built by the caller",
  );
  return seen!;
}

Deno.test("parse: the first problem's dotted path, its key and zod's message reach the caller's builder", () => {
  const deep = problemOf({ runs: [{ id: "a", metrics: {} }, { id: "b", metrics: { acc: "x" } }] });
  assertEquals([deep.path, deep.key], ["runs.1.metrics.acc", "runs"]);
  assertEquals(deep.message, "Invalid input: expected number, received string");
  // Only the first of several problems.
  const first = problemOf({ runs: [{ id: 1, metrics: 2 }], pageSize: 0 });
  assertEquals(first.path, "runs.0.id");
  // The value itself: an empty path, no key.
  const whole = problemOf("not an object");
  assertEquals([whole.path, whole.key], ["", undefined]);
});

Deno.test("parse: a value that parses comes back as zod made it, defaults filled", () => {
  const parsed = parseWith(SCHEMA, { runs: [] }, () => new Error("never"));
  assertEquals(parsed, { runs: [], pageSize: 100 });
});
