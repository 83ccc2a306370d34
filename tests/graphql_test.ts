// lib/graphql.ts as a unit: the one table from an HTTP answer (or none) to a
// typed error, for W&B and GitHub alike, each message naming the service, its
// host and what the user can do; an answer of the wrong shape names its path.
import { z } from "zod";
import { assertEquals, assertThrows } from "./_assert.ts";
import {
  AuthError,
  exitCodeFor,
  NotFoundError,
  QueryError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from "../lib/ground/errors.ts";
import { TransportFailure } from "../lib/ground/retry.ts";
import { decodeData, type Service, statusError, transportError } from "../lib/graphql.ts";

const WANDB: Service = {
  name: "W&B",
  host: "api.wandb.ai",
  credential: "API key",
  fix401: "check WANDB_API_KEY",
  fix403: "the key may not read this project",
  fixRateLimit: "try again later",
};

Deno.test("statusError: each status its typed error and message; 200 none", () => {
  const cases: [number, string[], number, unknown, string][] = [
    [
      401,
      ["bad key"],
      1,
      AuthError,
      "W&B at api.wandb.ai rejected the API key (HTTP 401: bad key); check WANDB_API_KEY",
    ],
    [
      403,
      [],
      1,
      AuthError,
      "W&B at api.wandb.ai refused access (HTTP 403); the key may not read this project",
    ],
    [
      404,
      ["no such project"],
      1,
      NotFoundError,
      "W&B at api.wandb.ai answered HTTP 404: no such project",
    ],
    [
      429,
      [],
      6,
      RateLimitError,
      "W&B at api.wandb.ai is rate limiting us (HTTP 429) after 6 attempts; try again later",
    ],
    [
      502,
      ["a", "b"],
      3,
      ServerError,
      "W&B at api.wandb.ai failed with HTTP 502 after 3 attempts: a; b",
    ],
    [
      400,
      ["Cannot query field"],
      1,
      QueryError,
      "W&B at api.wandb.ai rejected the query (HTTP 400): Cannot query field",
    ],
  ];
  for (const [status, said, attempts, Type, message] of cases) {
    const error = statusError(WANDB, status, said, attempts)!;
    assertEquals(
      [error instanceof (Type as typeof Error), error.message],
      [true, message],
      `${status}`,
    );
    // Every API failure is the one exit code for "a remote API failed for good".
    assertEquals(exitCodeFor(error), 3);
  }
  assertEquals(statusError(WANDB, 200, ["ignored"], 1), undefined);
});

Deno.test("transportError: a timeout is a TimeoutError, any other silence a ServerError", () => {
  const timedOut = transportError(WANDB, new TransportFailure("no answer within 20 s", 6, true));
  assertEquals([timedOut instanceof TimeoutError, timedOut.message], [
    true,
    "W&B at api.wandb.ai could not be reached: no answer within 20 s",
  ]);
  const refused = transportError(WANDB, new TransportFailure("connection refused", 1, false));
  assertEquals([refused instanceof TimeoutError, refused instanceof ServerError], [false, true]);
});

Deno.test("decodeData: an answer of the wrong shape is a ServerError naming where", () => {
  const schema = z.object({ project: z.object({ runs: z.array(z.string()) }) });
  assertEquals(decodeData(WANDB, { project: { runs: ["a"] } }, schema, "data"), {
    project: { runs: ["a"] },
  });
  const error = assertThrows(
    () => decodeData(WANDB, { project: { runs: [1] } }, schema, "data"),
    ServerError,
  );
  assertEquals(
    error.message.startsWith(
      "W&B at api.wandb.ai answered in an unexpected shape at data.project.runs.0: ",
    ),
    true,
    error.message,
  );
});
