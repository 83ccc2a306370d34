// lib/cli/deliver.ts as a unit, against the loopback GitHub
// (tests/_github_server.ts): the one way every command sets its status and
// posts its comment — on the repository and run page of the step's
// environment, with the user's retries — and what became of each said in one
// line; a GitHub that fails for good is one warning, never the report's end.
import { deliverComment, deliverStatus, sendComment, sendStatus } from "../../lib/cli/deliver.ts";
import { ServerError } from "../../lib/ground/errors.ts";
import { Redactor } from "../../lib/ground/redact.ts";
import { Printer } from "../../lib/output.ts";
import { assertEquals, assertMatch } from "../_assert.ts";
import { withRepo, WRITER } from "../_pr.ts";

const SHA = "c".repeat(40);
const RETRY = { maxAttempts: 1, maxRetrySeconds: 0, timeoutSeconds: 5 };

function printer(env: Record<string, string>) {
  const err: string[] = [];
  const io = {
    env,
    stdout: () => {},
    stderr: (t: string) => err.push(t),
    deps: { baseDelayMs: 1 },
  };
  return { io, print: new Printer(io, new Redactor()), err };
}

Deno.test("deliver: the status goes on the step's repository, linked to the run's page, and is said in one line", async () => {
  const github = await withRepo({}, async (_, __, env) => {
    const { io, print, err } = printer(env);
    await deliverStatus(print, () =>
      sendStatus(io, print, { ...RETRY, debug: false }, {
        token: WRITER,
        sha: SHA,
        state: "success",
        key: "Acme/Vision",
        description: "3 finished; gate passed",
      }));
    assertEquals(err, ["status wandb-report/acme/vision: success\n"]);
  });
  assertEquals(
    github.statuses.map((s) => [s.sha, s.context, s.state, s.target_url]),
    [[
      SHA,
      "wandb-report/acme/vision",
      "success",
      "https://github.com/acme/vision/actions/runs/4242",
    ]],
  );
});

Deno.test("deliver: the comment goes on the PR asked, sticky; what became of it said in one line, --debug logging the requests", async () => {
  const pulls = [{ number: 7, headRefOid: SHA, headRefName: "feature" }];
  const marker = "<!-- wandb-report key=acme/vision workflow=CI -->";
  const github = await withRepo({ pulls }, async (_, server, env) => {
    const { io, print, err } = printer(env);
    // One lost answer, retried: what --debug shows.
    server.faults.push({ status: 502, times: 1, operation: "WandbReportFindComments" });
    const options = {
      ...RETRY,
      maxAttempts: 2,
      maxRetrySeconds: 30,
      githubToken: WRITER,
      prNumber: 7,
      debug: true,
    };
    for (const body of ["first", "second"]) {
      await deliverComment(
        print,
        () => sendComment(io, print, options, { marker, body: `${marker}\n${body}` }),
      );
    }
    const said = err.filter((line) => !line.startsWith("debug: "));
    assertMatch(
      said[0]!,
      /^comment created: https:\/\/github\.com\/acme\/vision\/pull\/7#issuecomment-/,
    );
    assertMatch(said[1]!, /^comment updated: /);
    assertEquals(said.length, 2);
    assertMatch(err.find((line) => line.startsWith("debug: "))!, /502/);
    assertEquals(err.join("").includes(WRITER), false);
  });
  assertEquals(github.comments.map((c) => c.body), [`${marker}\nsecond`]);
});

Deno.test("deliver: a GitHub that fails for good is one warning; anything else is not swallowed", async () => {
  const { print, err } = printer({});
  await deliverStatus(print, () => Promise.reject(new ServerError("GitHub answered 502", 502)));
  await deliverComment(print, () => Promise.reject(new ServerError("GitHub answered 503", 503)));
  assertEquals(err, [
    "warning: the commit status was not set: GitHub answered 502\n",
    "warning: the PR comment was not posted: GitHub answered 503\n",
  ]);
  let thrown: unknown;
  await deliverStatus(print, () => Promise.reject(new TypeError("a bug"))).catch((e) => thrown = e);
  assertEquals(thrown instanceof TypeError, true);
});
