import {
  AuthError,
  exitCodeFor,
  InvalidInputError,
  NotFoundError,
  QueryError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from "../../lib/ground/errors.ts";
import { assertEquals } from "../_assert.ts";

Deno.test("exitCodeFor: one table for every task", () => {
  assertEquals(exitCodeFor(new InvalidInputError("--sha", "hex")), 2);
  for (
    const error of [
      new AuthError("x", 401),
      new NotFoundError("x"),
      new RateLimitError("x", 429),
      new ServerError("x", 503),
      new TimeoutError("x"),
      new QueryError("x", 400),
    ]
  ) assertEquals(exitCodeFor(error), 3, error.name);
  assertEquals(exitCodeFor(new TypeError("bug")), 70);
});

Deno.test("InvalidInputError: one line, long values clipped", () => {
  const error = new InvalidInputError("--sha", "hex", "x".repeat(200), "why");
  assertEquals(error.name, "InvalidInputError");
  assertEquals(error.message, `--sha: expected hex, got "${"x".repeat(77)}..." (why)`);
});
