// Progress in the PR: while --wait waits, the sticky comment and the pending
// status say how far training has come, updated when the counts change and
// at most once a minute; the report then replaces the comment. The clock
// moves only when the code under test sleeps; no test sleeps.
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import type { GithubServer } from "../_github_server.ts";
import { env, READER, withGithub } from "../_pr.ts";
import { API_KEY, PROJECT, run, runCli, SHA, withEmulator } from "../_helpers.ts";
import type { FixtureInput } from "../../lib/emulator/fixtures.ts";

/** Three candidates: one done, one that finishes on the 4th request, one whose machine died. */
function training(): FixtureInput {
  return {
    apiKeys: [API_KEY],
    projects: [{
      entity: "acme",
      name: "vision",
      runs: [
        run("done0001", "finished", { sha: SHA }),
        {
          ...run("slow0001", "running", { sha: SHA }),
          becomes: { state: "finished", afterRequests: 4 },
        },
        { ...run("dead0001", "running", { sha: SHA }), heartbeatStops: { afterRequests: 1 } },
      ],
    }],
  };
}

/** A clock both sides read, moved by the code's own sleeps; each sleep also records the comment then. */
function clockWatching(server: GithubServer) {
  let t = Date.parse("2026-11-27T12:00:00Z");
  const seen: string[] = [];
  return {
    seen,
    now: () => t,
    sleep: (ms: number) => {
      const body = server.comments[0]?.body ?? "";
      if (seen.at(-1) !== body) seen.push(body);
      t += ms;
      return Promise.resolve();
    },
  };
}

const WAIT = ["--wait", "2h", "--max-wait", "2h", "--poll-interval", "1m", "--stale-after", "15m"];

Deno.test("--wait with --comment: the comment follows training, then the report replaces it", async () => {
  await withGithub(async (server) => {
    const clock = clockWatching(server);
    await withEmulator({ fixture: training(), now: clock.now }, async (emulator) => {
      const r = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        SHA,
        ...WAIT,
        "--comment",
        "--pr-number",
        "7",
        "--status",
      ], { env: env(server), deps: { now: clock.now, sleep: clock.sleep } });
      assertEquals(r.code, 0, r.stderr);
      // One comment, edited in place: first the progress, last the report.
      assertEquals(server.comments.length, 1);
      const progress = clock.seen.filter((b) => b.includes("⏳"));
      assert(progress.length >= 2, `progress bodies: ${progress.length}`);
      assertStringIncludes(
        progress[0]!,
        "waiting for training: 1 of 3 finished, 2 running, 0 min so far",
      );
      assert(progress[0]!.startsWith("<!-- wandb-report key=acme/vision workflow=CI -->\n"));
      assertMatch(progress.at(-1)!, /2 of 3 finished, 1 running, \d+ min so far/);
      const final = server.comments[0]!.body;
      assert(!final.includes("⏳"), final);
      assertMatch(
        final,
        /^<!-- wandb-report key=acme\/vision workflow=CI -->\n<!-- wandb-report verdict=/,
      );
      // The status: pending with the counts while waiting, then the verdict.
      const states = server.statuses.map((s) => s.state);
      assertEquals(states.at(-1), "success");
      assert(states.slice(0, -1).every((s) => s === "pending"), states.join());
      assertEquals(
        server.statuses[0]!.description,
        "waiting for training: 1 of 3 finished, 2 running, 0 min so far",
      );
      assertEquals(r.outputs.NUM_STALLED, "1");
    });
  });
});

Deno.test("progress: only comment-mode always shows the wait in the PR; changes and failures decide on the report", async () => {
  for (const mode of ["changes", "failures"]) {
    await withGithub(async (server) => {
      const clock = clockWatching(server);
      await withEmulator({ fixture: training(), now: clock.now }, async (emulator) => {
        const r = await runCli(emulator, [
          ...PROJECT,
          "--sha",
          SHA,
          ...WAIT,
          "--comment",
          "--pr-number",
          "7",
          "--comment-mode",
          mode,
        ], { env: env(server), deps: { now: clock.now, sleep: clock.sleep } });
        assertEquals(r.code, 0, r.stderr);
        assert(clock.seen.length > 0, "the wait slept");
        assertEquals(clock.seen.filter((b) => b.includes("⏳")), [], mode);
        assertEquals(server.comments.some((c) => c.body.includes("⏳")), false, mode);
      });
    });
  }
});

Deno.test("progress: only when the counts change, at most once a minute", async () => {
  await withGithub(async (server) => {
    const clock = clockWatching(server);
    const posts: number[] = [];
    await withEmulator({ fixture: training(), now: clock.now }, async (emulator) => {
      const r = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        SHA,
        ...WAIT.map((a) => a === "1m" ? "5s" : a),
        "--status",
      ], {
        env: env(server),
        deps: {
          now: clock.now,
          sleep: (ms) => {
            if (server.statuses.length > posts.length) posts.push(clock.now());
            return clock.sleep(ms);
          },
        },
      });
      assertEquals(r.code, 0, r.stderr);
      const pending = server.statuses.filter((s) => s.state === "pending");
      // Counts seen: 2 running; then 1 finished more; then 1 stalled. Each
      // change is shown, none twice, and never twice within a minute.
      const texts = pending.map((s) => s.description!.replace(/, \d+ min so far$/, ""));
      assertEquals(new Set(texts).size, texts.length, texts.join(" | "));
      for (let i = 1; i < posts.length; i++) {
        assert(posts[i]! - posts[i - 1]! >= 60_000, `posts ${posts.join(", ")}`);
      }
    });
  });
});

Deno.test("progress: a read-only token (a fork PR) stops the progress quietly; the report warns once", async () => {
  await withGithub(async (server) => {
    const clock = clockWatching(server);
    await withEmulator({ fixture: training(), now: clock.now }, async (emulator) => {
      const r = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        SHA,
        ...WAIT,
        "--comment",
        "--pr-number",
        "7",
      ], { env: env(server, READER), deps: { now: clock.now, sleep: clock.sleep } });
      assertEquals(r.code, 0, r.stderr);
      assertEquals(server.comments.length, 0);
      assertEquals(r.stderr.match(/could not comment on pull request #7/g)?.length, 1, r.stderr);
    });
  });
});

Deno.test("--progress-only: waits and shows the wait, writes no report; it needs --wait", async () => {
  await withGithub(async (server) => {
    const clock = clockWatching(server);
    await withEmulator({ fixture: training(), now: clock.now }, async (emulator) => {
      const r = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        SHA,
        ...WAIT,
        "--comment",
        "--pr-number",
        "7",
        "--progress-only",
      ], { env: env(server), deps: { now: clock.now, sleep: clock.sleep } });
      assertEquals(r.code, 0, r.stderr);
      assertMatch(
        r.stderr,
        /^wait over: 2 finished, 1 stalled \(no report written: --progress-only\)$/m,
      );
      // The comment says the wait is over until the report job replaces it.
      assertMatch(
        server.comments[0]!.body,
        /⏳ wait over after \d+ min: 2 of 3 finished, 1 stalled; the report comes next/,
      );
      assertEquals(r.records, []);
      assertEquals(r.outputs, {});
      const bad = await runCli(emulator, [...PROJECT, "--sha", SHA, "--progress-only"]);
      assertEquals(bad.code, 2);
      assertMatch(
        bad.stderr,
        /^error: --progress-only: expected a wait \(--wait\) to show the progress of/m,
      );
    });
  });
});
