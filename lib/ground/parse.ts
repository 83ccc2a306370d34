/**
 * The one way a zod failure becomes one of our errors: the first problem zod
 * found, as messages need it (where, and what was wrong), handed to the
 * caller's error builder.
 *
 * @module
 */
import type { z } from "zod";

/** The first problem zod found in a value. */
export interface Problem {
  /** Where, as a dotted path (`""` for the value itself). */
  path: string;
  /** The first step of that path (an option's key, a field's name). */
  key: PropertyKey | undefined;
  /** What was expected or wrong. */
  message: string;
}

/**
 * Parses `value` with `schema`, or throws the error `fail` builds from the
 * first problem.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals, throws } from "node:assert";
 * import { z } from "zod";
 * import { parseWith } from "./parse.ts";
 * const schema = z.object({ n: z.number() });
 * assertEquals(parseWith(schema, { n: 1 }, () => new Error("never")), { n: 1 });
 * throws(() => parseWith(schema, { n: "x" }, (p) => new Error(`${p.path}: ${p.message}`)), /^Error: n: /);
 * ```
 */
export function parseWith<T>(
  schema: z.ZodType<T>,
  value: unknown,
  fail: (problem: Problem) => Error,
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw fail({ path: issue.path.join("."), key: issue.path[0], message: issue.message });
}
