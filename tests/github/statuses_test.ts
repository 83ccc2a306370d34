// lib/github/statuses.ts as a unit, against a loopback GitHub whose statuses
// route checks bodies as GitHub does (tests/_github_server.ts): what is set,
// what a token without statuses: write gives (a warning, the report goes
// on), what a bad token gives (an error), and the texts GitHub limits.
import { AuthError } from "../../lib/ground/errors.ts";
import {
  contextNote,
  MAX_DESCRIPTION,
  postStatus,
  runUrlFromEnv,
  statusContext,
  statusDescription,
} from "../../lib/github/statuses.ts";
import { assertEquals, assertMatch, assertRejects } from "../_assert.ts";
import { READER, withRepo, WRITER } from "../_pr.ts";

const SHA = "a".repeat(40);
const RETRY = { maxAttempts: 2, maxElapsedMs: 5_000, timeoutMs: 5_000, baseDelayMs: 1 };

Deno.test("statuses: a status is set on the commit with the token given, its description one visible line of at most 140", async () => {
  let result;
  const github = await withRepo({}, async (_, __, env) => {
    result = await postStatus({
      token: WRITER,
      repository: "acme/vision",
      sha: SHA,
      env,
      retry: RETRY,
      state: "failure",
      context: statusContext("Acme/Vision"),
      description: `gate failed:\n\u001b[31m${"accuracy ".repeat(30)}`,
      targetUrl: "https://github.com/acme/vision/actions/runs/42",
    });
  });
  assertEquals(result, { action: "set", state: "failure", context: "wandb-report/acme/vision" });
  assertEquals(github.statuses.length, 1);
  const [status] = github.statuses;
  assertEquals(
    [status!.sha, status!.token, status!.state, status!.context, status!.target_url],
    [
      SHA,
      WRITER,
      "failure",
      "wandb-report/acme/vision",
      "https://github.com/acme/vision/actions/runs/42",
    ],
  );
  assertEquals(status!.description!.length, MAX_DESCRIPTION);
  assertMatch(status!.description!, /^gate failed: \S*\[31maccuracy accuracy .*…$/);
  assertEquals(/\p{Cc}/u.test(status!.description!), false);
});

Deno.test("statuses: a token that may not write statuses is a warning and nothing set; a bad token is an AuthError", async () => {
  const options = {
    repository: "acme/vision",
    sha: SHA,
    retry: RETRY,
    state: "pending" as const,
    context: "wandb-report/acme/vision",
    description: "waiting for training",
  };
  const github = await withRepo({}, async (_, __, env) => {
    const skipped = await postStatus({ ...options, token: READER, env });
    assertEquals(skipped.action, "skipped");
    assertMatch(
      skipped.action === "skipped" ? skipped.warning : "",
      /^could not set the status wandb-report\/acme\/vision on aaaaaaaaaaaa: .*Resource not accessible by integration.*grant statuses: write, or use the workflow_run pattern/,
    );
    const error = await assertRejects(
      () => postStatus({ ...options, token: "stolen", env }),
      AuthError,
    );
    assertEquals(error.message.includes("stolen"), false);
  });
  assertEquals(github.statuses, []);
});

Deno.test("statuses: the context is lower-cased as GitHub compares it, and a key with capitals is told so", () => {
  assertEquals(statusContext("Vision-EU"), "wandb-report/vision-eu");
  assertEquals(contextNote("vision-eu"), undefined);
  assertMatch(
    contextNote("Vision-EU")!,
    /^the status context is wandb-report\/vision-eu: GitHub compares contexts without case.*\(Vision-EU, vision-eu\)/,
  );
});

Deno.test("statuses: a description is one line of what a log shows, cut to 140 with an ellipsis", () => {
  assertEquals(statusDescription("  3 finished;\n\tgate   passed  "), "3 finished; gate passed");
  assertEquals(statusDescription("x".repeat(140)), "x".repeat(140));
  const long = statusDescription("y".repeat(141));
  assertEquals([long.length, long.endsWith("…")], [140, true]);
  // Astral characters are counted as GitHub counts them and never split.
  const emoji = statusDescription("😀".repeat(100));
  assertEquals(emoji.includes("\ud83d…"), false);
});

Deno.test("statuses: the run's page from the runner's variables, and none outside Actions", () => {
  const env = { GITHUB_REPOSITORY: "acme/vision", GITHUB_RUN_ID: "42" };
  assertEquals(runUrlFromEnv(env), "https://github.com/acme/vision/actions/runs/42");
  assertEquals(
    runUrlFromEnv({ ...env, GITHUB_SERVER_URL: "https://ghe.example.com//" }),
    "https://ghe.example.com/acme/vision/actions/runs/42",
  );
  assertEquals(runUrlFromEnv({ GITHUB_REPOSITORY: "acme/vision" }), undefined);
  assertEquals(runUrlFromEnv({ ...env, GITHUB_RUN_ID: "42/../../x" }), undefined);
});
