// A W&B your training can write to: W&B's official JavaScript SDK (a client
// none of us wrote) logs runs to the emulator, and the report finds them with
// their states and metrics; a recorded transcript of the SDK's requests is
// replayed with no SDK; malformed writes, unknown runs, silence and --save.
import { startEmulator } from "../../lib/emulator/server.ts";
import { parseFixture } from "../../lib/emulator/fixtures.ts";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { API_KEY, childEnv, PROJECT, runCli, runProcess } from "../_helpers.ts";
import transcript from "../sdk_transcript.json" with { type: "json" };

const SHA = "fedcba9876543210fedcba9876543210fedcba98";
const EMPTY = {
  apiKeys: [API_KEY],
  viewer: { username: "ana", entity: "acme" },
  projects: [{ entity: "acme", name: "vision", runs: [] }],
};
const TRAIN = new URL("../tools/sdk_train.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;
const AUTH = `Basic ${btoa(`api:${API_KEY}`)}`;

/** The report's view of the commit's runs: outputs and CSV rows by run id. */
async function reported(url: string, now?: () => number) {
  const result = await runCli({ url }, [
    ...PROJECT,
    "--sha",
    SHA,
    "--metrics",
    "accuracy,loss",
    "--config-vars",
    "lr",
  ], { deps: { now } });
  assertEquals(result.code, 0, result.stderr);
  return result;
}

/** POSTs a write as the SDK does (Basic api:KEY). */
function post(url: string, path: string, body: unknown, key = API_KEY) {
  return fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Basic ${btoa(`api:${key}`)}` },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

Deno.test("sdk: runs logged by W&B's own JavaScript SDK are found with their states, config and metrics", async () => {
  const emulator = await startEmulator({ fixture: EMPTY });
  try {
    // Three training jobs at once: finished (exit 0), failed (1), killed (SIGINT's 130).
    const jobs = [["seed1", "0.91", "0"], ["seed2", "0.90", "1"], ["seed3", "0.89", "130"]];
    const runs = await Promise.all(jobs.map(([id, accuracy, code]) =>
      runProcess(Deno.execPath(), [
        "run",
        "--quiet",
        "--allow-all",
        "--config",
        CONFIG,
        TRAIN,
        "vision",
        id!,
        SHA,
        accuracy!,
        code!,
      ], { env: { ...childEnv(), WANDB_BASE_URL: emulator.url, WANDB_API_KEY: API_KEY } })
    ));
    for (const run of runs) assertEquals(run.code, 0, run.stderr);
    const result = await reported(emulator.url);
    assertEquals(
      [result.outputs.NUM_FINISHED, result.outputs.NUM_FAILED, result.outputs.NUM_ABORTED],
      ["1", "1", "1"],
    );
    // The finished run's summary is the SDK's last step; its config carries the commit.
    const row = result.records.find((r) => r.run_id === "seed1" || r.id === "seed1") ??
      result.records[0]!;
    assertEquals(row.accuracy, "0.91", JSON.stringify(result.records));
    assertEquals(row._lr, "0.01");
    assertEquals(emulator.stats.operations.UpsertBucket, 3);
    assert((emulator.stats.operations.file_stream ?? 0) >= 6);
  } finally {
    await emulator.close();
  }
});

Deno.test("sdk: a recorded transcript of the SDK's requests, replayed with no SDK, gives the same runs", async () => {
  const emulator = await startEmulator({ fixture: EMPTY });
  try {
    for (const request of transcript.requests) {
      const response = await fetch(`${emulator.url}${request.path}`, {
        method: request.method,
        headers: { "content-type": "application/json", authorization: AUTH },
        body: JSON.stringify(request.body),
      });
      await response.body?.cancel();
      assertEquals(response.status, request.status, `${request.method} ${request.path}`);
    }
    // A resend of the same history lines is harmless.
    const resend = transcript.requests.find((r) => r.path.endsWith("seed1/file_stream"))!;
    assertEquals((await post(emulator.url, resend.path, resend.body)).status, 200);
    const result = await reported(emulator.url);
    assertEquals(
      [result.outputs.NUM_FINISHED, result.outputs.NUM_FAILED, result.outputs.NUM_ABORTED],
      ["1", "1", "1"],
    );
    const run = await (await post(emulator.url, "/graphql", {
      query: '{ project(name: "vision", entityName: "acme") { run(name: "seed1") ' +
        "{ historyLineCount summaryMetrics config } } }",
    })).json();
    assertEquals(run.data.project.run.historyLineCount, 3);
    assertEquals(JSON.parse(run.data.project.run.summaryMetrics).accuracy, 0.91);
    // W&B stores the config wrapped, whichever way the SDK sent it.
    assertEquals(JSON.parse(run.data.project.run.config).github_sha, { value: SHA, desc: null });
  } finally {
    await emulator.close();
  }
});

Deno.test("sdk: upsertBucket creates, then updates only the fields given; Python's wrapped config is unwrapped", async () => {
  let now = Date.parse("2026-12-07T10:00:00Z");
  const emulator = await startEmulator({ fixture: EMPTY, now: () => now });
  try {
    const upsert = (input: Record<string, unknown>) =>
      post(emulator.url, "/graphql", {
        query: "mutation U($input: UpsertBucketInput!) { upsertBucket(input: $input) " +
          "{ inserted bucket { name state displayName createdAt heartbeatAt tags " +
          "project { name entity { name } } } } }",
        variables: { input },
      }).then((r) => r.json());
    const created = await upsert({
      name: "py1",
      modelName: "newproj",
      config: JSON.stringify({ github_sha: { value: SHA, desc: null }, lr: { value: 0.1 } }),
      tags: ["baseline"],
    });
    assertEquals(created.data.upsertBucket.inserted, true);
    const bucket = created.data.upsertBucket.bucket;
    assertEquals([bucket.state, bucket.createdAt, bucket.heartbeatAt], [
      "running",
      "2026-12-07T10:00:00",
      "2026-12-07T10:00:00",
    ]);
    // The viewer's entity, and the project created.
    assertEquals([bucket.project.name, bucket.project.entity.name], ["newproj", "acme"]);
    now += 60_000;
    const updated = await upsert({ name: "py1", modelName: "newproj", displayName: "seed 1" });
    assertEquals(updated.data.upsertBucket.inserted, false);
    assertEquals(updated.data.upsertBucket.bucket.tags, ["baseline"]); // kept: not given
    assertEquals(updated.data.upsertBucket.bucket.displayName, "seed 1");
    assertEquals(updated.data.upsertBucket.bucket.heartbeatAt, "2026-12-07T10:01:00");
    const result = await runCli(emulator, ["--project", "acme/newproj", "--sha", SHA], {
      deps: { now: () => now },
    });
    assertEquals(result.outputs.NUM_RUNNING, "1", result.stderr);
  } finally {
    await emulator.close();
  }
});

Deno.test("sdk: a logged run silent past --crash-after is crashed, served and filtered so, on the emulator's clock", async () => {
  let now = Date.parse("2026-12-07T10:00:00Z");
  const emulator = await startEmulator({ fixture: EMPTY, now: () => now, crashAfterSeconds: 600 });
  try {
    const mutation = {
      query: "mutation U($input: UpsertBucketInput!) { upsertBucket(input: $input) { inserted } }",
      variables: {
        input: { name: "quiet", modelName: "vision", config: `{"github_sha":"${SHA}"}` },
      },
    };
    await (await post(emulator.url, "/graphql", mutation)).body?.cancel();
    now += 599_000;
    await (await post(emulator.url, "/files/acme/vision/quiet/file_stream", {})).body?.cancel();
    now += 599_000; // 9 min 59 s after the last heartbeat: still running
    assertEquals((await reported(emulator.url, () => now)).outputs.NUM_RUNNING, "1");
    now += 2_000; // 10 min 1 s
    const silent = await reported(emulator.url, () => now);
    assertEquals([silent.outputs.NUM_RUNNING, silent.outputs.NUM_CRASHED], ["0", "1"]);
    const filtered = await (await post(emulator.url, "/graphql", {
      query: '{ project(name: "vision", entityName: "acme") ' +
        '{ runCount(filters: "{\\"state\\": \\"crashed\\"}") } }',
    })).json();
    assertEquals(filtered.data.project.runCount, 1);
  } finally {
    await emulator.close();
  }
});

Deno.test("sdk: bad writes get 400 naming the field, an unknown run 404, a bad key 401; nothing half-written", async () => {
  const emulator = await startEmulator({ fixture: EMPTY });
  try {
    const mutate = (input: Record<string, unknown>, key?: string) =>
      post(emulator.url, "/graphql", {
        query:
          "mutation U($input: UpsertBucketInput!) { upsertBucket(input: $input) { inserted } }",
        variables: { input },
      }, key);
    const notJson = await mutate({ name: "r", modelName: "vision", config: "{lr: 0.1" });
    assertEquals(notJson.status, 400);
    assertMatch(
      (await notJson.json()).errors[0].message,
      /upsertBucket: input\.config: expected a JSON object/,
    );
    const noName = await mutate({ modelName: "vision" });
    assertEquals(noName.status, 400);
    assertMatch((await noName.json()).errors[0].message, /input\.name/);
    assertEquals((await mutate({ name: "r", modelName: "vision" }, "wrong-key")).status, 401);
    // What it does not serve: another mutation is a 400, as docs/emulator.md says.
    const other = await post(emulator.url, "/graphql", {
      query: "mutation { createArtifact(input: {}) { artifact { id } } }",
    });
    assertEquals(other.status, 400);
    await other.body?.cancel();
    const unknown = await post(emulator.url, "/files/acme/vision/nobody/file_stream", {});
    assertEquals(unknown.status, 404);
    assertMatch((await unknown.json()).errors[0].message, /no run acme\/vision\/nobody/);
    // A malformed stream changes nothing: the run keeps its state and history.
    await (await mutate({ name: "r2", modelName: "vision" })).body?.cancel();
    const bad = await post(emulator.url, "/files/acme/vision/r2/file_stream", {
      files: { "wandb-history.jsonl": { offset: 0, content: ['{"ok": 1}', "not json"] } },
      complete: true,
      exitcode: 0,
    });
    assertEquals(bad.status, 400);
    assertMatch((await bad.json()).errors[0].message, /wandb-history\.jsonl\.content\.1/);
    const run = await (await post(emulator.url, "/graphql", {
      query:
        '{ project(name: "vision", entityName: "acme") { run(name: "r2") { state historyLineCount } } }',
    })).json();
    assertEquals(run.data.project.run, { state: "running", historyLineCount: 0 });
    // Scripted faults apply to writes too.
    emulator.injectFaults([{ operation: "file_stream", status: 503, times: 1 }]);
    assertEquals((await post(emulator.url, "/files/acme/vision/r2/file_stream", {})).status, 503);
  } finally {
    await emulator.close();
  }
});

Deno.test("sdk: what was logged, saved as a fixture (--save), is served again as it was", async () => {
  const emulator = await startEmulator({ fixture: EMPTY });
  try {
    for (const request of transcript.requests) {
      await (await post(emulator.url, request.path, request.body)).body?.cancel();
    }
    const saved = parseFixture(emulator.store.toFixture([API_KEY]), "saved");
    const again = await startEmulator({ fixture: saved });
    try {
      const [before, after] = [await reported(emulator.url), await reported(again.url)];
      assertEquals(after.outputs, before.outputs);
      assertEquals(after.records.map((r) => r.accuracy), before.records.map((r) => r.accuracy));
    } finally {
      await again.close();
    }
  } finally {
    await emulator.close();
  }
});

Deno.test("sdk: the emulator command takes --crash-after in whole seconds, and says what else is wrong", async () => {
  const { runEmulatorCli } = await import("../../lib/cli/mod.ts");
  let stderr = "";
  const io = { env: {}, stdout: () => {}, stderr: (t: string) => (stderr += t) };
  assertEquals(
    await runEmulatorCli(["--port", "0", "--crash-after", "60"], io, "emu", Promise.resolve()),
    0,
  );
  assertMatch(stderr, /W&B emulator on http:\/\/127\.0\.0\.1:\d+/);
  stderr = "";
  assertEquals(await runEmulatorCli(["--crash-after", "10m"], io, "emu", Promise.resolve()), 2);
  assertMatch(stderr.trim(), /^error: --crash-after: expected whole seconds, 0 for never/);
  stderr = "";
  assertEquals(
    await runEmulatorCli(
      ["--port", "0", "--save", "/nonexistent-dir/x.json"],
      io,
      "emu",
      Promise.resolve(),
    ),
    2,
  );
  assertMatch(stderr, /--save: expected a file path in an existing folder/);
});

Deno.test("sdk: a fixture of the wrong shape names the field and where the format is documented", () => {
  let message = "";
  try {
    parseFixture({ apiKeys: "k", projects: [] }, "my.json");
  } catch (error) {
    message = (error as Error).message;
  }
  assertMatch(message, /^my\.json: apiKeys: expected a fixture as described in docs\/emulator\.md/);
});
