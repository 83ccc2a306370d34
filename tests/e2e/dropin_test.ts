// End to end: the old action's everyday inputs (made-up non-hex SHAs, short
// SHAs, Python-literal lists), --match-commit against servers that do and do
// not filter on `commit`, and the notices that explain an empty answer.
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { startEmulator } from "../../lib/emulator/server.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import { API_KEY, PROJECT, run, runCli, SHA, testFixture, withEmulator } from "../_helpers.ts";
import { runWorkflow } from "../_runner.ts";
import { EXAMPLE_REPO } from "../_events.ts";
import { startGithubServer } from "../_github_server.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("a short hex SHA finds the runs logged with the full one; the mode is in --debug and --json", async () => {
  await withEmulator({}, async (emulator) => {
    const short = await runCli(emulator, [
      ...PROJECT,
      "--sha",
      SHA.slice(0, 7),
      "--debug",
      "--json",
    ]);
    assertEquals(short.code, 0, short.stderr);
    assertEquals(short.outputs.NUM_CANDIDATES, "7");
    assertEquals(short.outputs.SHA, SHA.slice(0, 7));
    assertStringIncludes(
      short.stderr,
      `debug: candidates: config.github_sha starts with "1111111"`,
    );
    const json = JSON.parse(short.stdout);
    assertEquals(json.match, { by: "sha", sha: "1111111", matchCommit: false, shaMode: "prefix" });

    const full = await runCli(emulator, [...PROJECT, "--sha", SHA.toUpperCase(), "--json"]);
    assertEquals(full.outputs.NUM_CANDIDATES, "7");
    assertEquals(JSON.parse(full.stdout).match.shaMode, "exact");
    // A prefix is anchored: the same characters later in a SHA do not match.
    const inner = await runCli(emulator, [...PROJECT, "--sha", SHA.slice(1, 8)]);
    assertEquals(inner.outputs.NUM_CANDIDATES, "0");
  });
});

Deno.test("non-hex SHAs (build ids, tags, made-up values) match exactly, through INPUT_* too", async () => {
  const fixture = testFixture([
    run("tag00001", "finished", { sha: "v1.2.3" }),
    run("tag00002", "finished", { sha: "v1.2.30" }),
    run("bld00001", "running", { sha: "ci-build#42" }),
  ]);
  await withEmulator({ fixture }, async (emulator) => {
    const tag = await runCli(emulator, [...PROJECT, "--sha", "v1.2.3"]);
    assertEquals(tag.code, 0, tag.stderr);
    assertEquals(tag.records.map((r) => r["run.id"]), ["tag00001"]);
    const old = await runCli(emulator, [], {
      env: {
        INPUT_PROJECT_NAME: "acme/vision",
        INPUT_FILTER_GITHUB_SHA: "ci-build#42",
        INPUT_BASELINE_TAGS: "['baseline', 'reference']",
        INPUT_DISPLAY_METRICS: "['accuracy']",
      },
    });
    assertEquals(old.code, 0, old.stderr);
    assertEquals(old.outputs.NUM_RUNNING, "1");
    assertEquals(old.outputs.SHA, "ci-build#42");
    // cand0002 is tagged "baseline" and is no candidate of this SHA.
    assertEquals(old.outputs.NUM_BASELINES, "3");
    for (const bad of ["two words", "tab\there", "bell\u0007"]) {
      const r = await runCli(emulator, [], {
        env: { INPUT_PROJECT_NAME: "acme/vision", INPUT_FILTER_GITHUB_SHA: bad },
      });
      assertEquals(r.code, 2, bad);
      assertMatch(r.stderr, /^error: INPUT_FILTER_GITHUB_SHA: expected one token of printable/);
      assertEquals(r.csv, undefined);
    }
  });
});

Deno.test("--match-commit gives the same candidates whether or not the server filters on commit", async () => {
  const now = Date.parse("2026-11-27T12:00:00Z");
  const recent = "2026-11-20T00:00:00";
  const old = "2026-01-01T00:00:00";
  const fixture = (filterFields: string[]) => ({
    ...testFixture([
      run("cmit0002", "finished", { commit: SHA, createdAt: recent }),
      run("cmit0003", "finished", { commit: SHA, createdAt: old, tags: ["baseline"] }),
      run("cmit0004", "finished", { commit: SHA.slice(0, 12) + "0".repeat(28), createdAt: recent }),
      run("oldsha01", "finished", { sha: SHA, createdAt: old }),
    ]),
    filterFields,
  });
  const args = [...PROJECT, "--sha", SHA, "--match-commit", "--baseline-tags", "baseline"];
  const deps = { now: () => now };
  const supports = await startEmulator({ fixture: fixture(["commit"]) });
  const refuses = await startEmulator({ fixture: fixture([]) });
  try {
    const a = await runCli(supports, args, { deps });
    const b = await runCli(refuses, [...args, "--commit-scan-days", "400"], { deps });
    assertEquals([a.code, b.code], [0, 0], a.stderr + b.stderr);
    // The server that refuses answers 400 once; the scan is bounded by createdAt.
    assertEquals(refuses.stats.requests, supports.stats.requests + 1);
    const ids = (r: typeof a) => r.records.map((x) => `${x["run.id"]}:${x["__eval.category"]}`);
    assertEquals(ids(b), ids(a));
    assertEquals(a.outputs.NUM_CANDIDATES, b.outputs.NUM_CANDIDATES);
    assert(ids(a).includes("cmit0001:candidate") && ids(a).includes("cmit0002:candidate"));
    assert(ids(a).includes("oldsha01:candidate"), "an old run matched by config is kept");
    assert(!ids(a).some((id) => id.startsWith("cmit0004")), "a different full commit is no match");
    assertEquals(a.stderr.includes("does not filter on commit"), false);
    assert(ids(a).includes("cmit0003:candidate"), "matched by commit, though tagged baseline");
    // With the default window, a run older than 30 days that only its commit
    // would match is not scanned; the note says where the bound is.
    const c = await runCli(refuses, args, { deps });
    assertMatch(
      c.stderr,
      /^note: the server does not filter on commit; matched commit here over the runs created since 2026-10-28T12:00:00 \(--commit-scan-days 30\)$/m,
    );
    assertEquals(ids(c), ids(a).filter((id) => id !== "cmit0003:candidate"));
  } finally {
    await supports.close();
    await refuses.close();
  }
});

Deno.test("--match-commit falls back however a server refuses or ignores the commit filter", async () => {
  const now = Date.parse("2026-11-27T12:00:00Z");
  const recent = "2026-11-20T00:00:00";
  const runs = [
    run("cmit0002", "finished", { commit: SHA, createdAt: recent }),
    run("othr0001", "finished", { commit: "f".repeat(40), createdAt: recent }),
    run("nocm0001", "finished", { createdAt: recent }),
    run("base0001", "finished", { createdAt: recent, tags: ["baseline"] }),
  ];
  const args = [...PROJECT, "--sha", SHA, "--match-commit", "--baseline-tags", "baseline"];
  const deps = { now: () => now };
  const ids = (r: Awaited<ReturnType<typeof runCli>>) =>
    r.records.map((x) => `${x["run.id"]}:${x["__eval.category"]}`).sort();
  const supports = await startEmulator({
    fixture: { ...testFixture(runs), filterFields: ["commit"] },
  });
  try {
    const want = await runCli(supports, args, { deps });
    assertEquals(want.code, 0, want.stderr);
    assert(ids(want).includes("cmit0002:candidate"));
    assert(!ids(want).some((id) => id.startsWith("othr0001:candidate")));
    assert(ids(want).includes("nocm0001:baseline") === false, "untagged: no baseline");
    for (const how of ["422", "500", "graphql-error", "ignore"] as const) {
      const server = await startEmulator({ fixture: { ...testFixture(runs), unknownFilter: how } });
      try {
        const got = await runCli(server, args, { deps });
        assertEquals(got.code, 0, `${how}: ${got.stderr}`);
        assertEquals(ids(got), ids(want), how);
        assertMatch(got.stderr, /does not filter on commit; matched commit here/, how);
        if (how === "ignore") {
          assertMatch(got.stderr, /the server ignored the commit filter/);
        }
        if (how === "500") {
          assertMatch(got.stderr, /the server answered HTTP 500 to the commit filter/);
        }
      } finally {
        await server.close();
      }
    }
  } finally {
    await supports.close();
  }
});

Deno.test("the emulator refuses undocumented filter fields with HTTP 400, as W&B does", async () => {
  await withEmulator({}, async (emulator) => {
    const query = (filters: unknown) =>
      fetch(`${emulator.url}/graphql`, {
        method: "POST",
        headers: { authorization: `Basic ${btoa(`api:${API_KEY}`)}` },
        body: JSON.stringify({
          query: 'query Q($f: JSONString) { project(name: "vision", entityName: "acme") ' +
            "{ runs(filters: $f) { edges { node { name } } } } }",
          variables: { f: JSON.stringify(filters) },
        }),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const refused = await query({ $or: [{ "config.a": 1 }, { commit: "x" }] });
    assertEquals(refused.status, 400);
    assertMatch(refused.body.errors[0].message, /^invalid filter field "commit"/);
    for (const path of ["summary.loss", "sweep", "heartbeatAt"]) {
      assertEquals((await query({ [path]: 1 })).status, 400, path);
    }
    for (
      const path of ["config.a.b", "summary_metrics.loss", "display_name", "createdAt", "tags"]
    ) {
      assertEquals((await query({ [path]: 1 })).status, 200, path);
    }
  });
});

Deno.test("no silent zeros: an empty answer says what to check", async () => {
  await withEmulator({}, async (emulator) => {
    const none = await runCli(emulator, [
      ...PROJECT,
      "--sha",
      "abcdef0",
      "--baseline-tags",
      "nosuchtag",
    ], { env: { GITHUB_ACTIONS: "true" } });
    assertEquals(none.code, 0, none.stderr);
    assertMatch(
      none.stderr,
      /^::notice::no run in acme\/vision has config\.github_sha starting with "abcdef0": check/m,
    );
    assertMatch(
      none.stderr,
      /^::notice::no baseline runs: no other run in acme\/vision carries any of the tags "nosuchtag"$/m,
    );
    const keys = await runCli(emulator, [
      ...PROJECT,
      "--sha",
      SHA,
      "--metrics",
      "accuracy, acuracy",
      "--config-vars",
      "lr, nosuchkey",
    ]);
    assertEquals(keys.code, 0, keys.stderr);
    assertMatch(keys.stderr, /^note: no fetched run has the metric "acuracy" in its summary/m);
    assertMatch(keys.stderr, /^note: no fetched run has the config key "nosuchkey"/m);
    assertEquals(keys.stderr.includes(`metric "accuracy"`), false);
    // The names a candidate did log, beside the one that was misspelt.
    assertMatch(
      keys.stderr,
      /^note: run \S+ logged (\S+, )*accuracy\b.*: no candidate has "acuracy"$/m,
    );
    const exact = await runCli(emulator, [...PROJECT, "--sha", "v9"]);
    assertMatch(
      exact.stderr,
      /^note: no run in acme\/vision has config\.github_sha equal to "v9"/m,
    );
  });
});

/** The composite action's steps, run as a job whose inputs mirror the action's. */
async function actionWorkflow(): Promise<string> {
  const action = parseYaml(await Deno.readTextFile(`${ROOT}/action.yml`)) as {
    inputs: Record<string, { default?: string }>;
    runs: { steps: unknown[] };
  };
  return stringifyYaml({
    on: {
      workflow_call: {
        inputs: Object.fromEntries(
          Object.entries(action.inputs).map(([name, spec]) => [
            name,
            // Expressions in action defaults (`github.token`) are the runner's to fill.
            {
              type: "string",
              default: /\$\{\{/.test(spec.default ?? "") ? "" : spec.default ?? "",
            },
          ]),
        ),
      },
    },
    jobs: { report: { "runs-on": "ubuntu-latest", steps: action.runs.steps } },
  });
}

Deno.test("action.yml: the old action's inputs, in its own style, give its outputs", async () => {
  const workflow = await actionWorkflow();
  const fixture = testFixture([run("made0001", "finished", { sha: "not-a-real-sha-123" })]);
  const emulator = await startEmulator({ fixture });
  try {
    const result = await runWorkflow({
      workflow,
      toolDir: ROOT,
      github: { event_name: "push", event: {}, sha: SHA, repository: "o/r", token: "t" },
      inputs: {
        WANDB_API_KEY: API_KEY,
        PROJECT_NAME: "acme/vision",
        FILTER_GITHUB_SHA: "not-a-real-sha-123",
        BASELINE_TAGS: "['baseline', 'reference']",
        DISPLAY_METRICS: "['accuracy', 'loss']",
        DISPLAY_CONFIG_VARS: "['lr']",
      },
      secrets: {},
      env: { GITHUB_ACTION_PATH: ROOT, WANDB_BASE_URL: emulator.url },
    });
    const step = result.jobs.report!.steps.find((s) => s.id === "report")!;
    assertEquals(step.outcome, "success", step.log);
    assertEquals(step.outputs.NUM_FINISHED, "1");
    assertEquals(step.outputs.BOOL_SINGLE_RUN, "True");
    assertEquals(step.outputs.BOOL_COMPLETE, "True");
    assertEquals(step.outputs.NUM_BASELINES, "3");
    assertEquals(step.outputs.SHA, "not-a-real-sha-123");
  } finally {
    await emulator.close();
  }
});

Deno.test("action.yml: a commit status on the SHA by default; a bad status value fails before any request", async () => {
  const workflow = await actionWorkflow();
  const token = "ghs_actiontoken4Kd8Lm2Nb7Vc";
  const emulator = await startEmulator({ fixture: testFixture() });
  const github = await startGithubServer({
    repo: EXAMPLE_REPO,
    pulls: [],
    tokens: { [token]: { login: "github-actions[bot]", write: true } },
  });
  const go = (inputs: Record<string, string>) =>
    runWorkflow({
      workflow,
      toolDir: ROOT,
      github: { event_name: "push", event: {}, sha: SHA, repository: EXAMPLE_REPO, token },
      inputs: {
        WANDB_API_KEY: API_KEY,
        PROJECT_NAME: "acme/vision",
        FILTER_GITHUB_SHA: SHA,
        "github-token": token,
        ...inputs,
      },
      secrets: {},
      env: {
        GITHUB_ACTION_PATH: ROOT,
        WANDB_BASE_URL: emulator.url,
        GITHUB_API_URL: github.url,
        GITHUB_RUN_ID: "4242",
      },
    });
  try {
    const ok = await go({});
    const step = ok.jobs.report!.steps.find((s) => s.id === "report")!;
    assertEquals(step.outcome, "success", step.log);
    assertEquals(github.statuses.map((s) => [s.sha, s.context, s.state]), [
      [SHA, "wandb-report/acme/vision", "success"],
    ]);
    assertEquals(step.outputs.STATUS_STATE, "success");
    const before = emulator.stats.requests;
    const bad = await go({ status: "maybe" });
    const failed = bad.jobs.report!.steps.find((s) => s.id === "report")!;
    assertEquals(failed.outcome, "failure");
    assertMatch(failed.log, /^::error::INPUT_STATUS: expected true or false, got "maybe"$/m);
    assertEquals([emulator.stats.requests, github.statuses.length], [before, 1]);
  } finally {
    await github.close();
    await emulator.close();
  }
});

Deno.test("action.yml: matrix legs (publish: false) write a JSON file each, named for the leg, never one shared name", async () => {
  const workflow = await actionWorkflow();
  const emulator = await startEmulator({ fixture: testFixture() });
  const workspace = await Deno.makeTempDir({ prefix: "wandb-legs-ws-" });
  try {
    const leg = (key: string) =>
      runWorkflow({
        workflow,
        toolDir: ROOT,
        github: { event_name: "push", event: {}, sha: SHA, repository: "o/r", token: "t" },
        inputs: {
          WANDB_API_KEY: API_KEY,
          PROJECT_NAME: "acme/vision",
          FILTER_GITHUB_SHA: SHA,
          "report-key": key,
          publish: "false",
        },
        secrets: {},
        env: {
          GITHUB_ACTION_PATH: ROOT,
          WANDB_BASE_URL: emulator.url,
          GITHUB_WORKSPACE: workspace,
        },
      });
    const paths: string[] = [];
    for (const key of ["tasks/vision", "tasks/ner"]) {
      const step = (await leg(key)).jobs.report!.steps.find((s) => s.id === "report")!;
      assertEquals(step.outcome, "success", step.log);
      paths.push(step.outputs.LEG_JSON!);
    }
    assertEquals(paths.map((p) => p.split("/").at(-1)), [
      "wandb-report-leg-tasks-vision.json",
      "wandb-report-leg-tasks-ner.json",
    ]);
    // Both legs are still there, each its own report.
    const keys = paths.map((p) => JSON.parse(Deno.readTextFileSync(p)).reportKey);
    assertEquals(keys, ["tasks/vision", "tasks/ner"]);
  } finally {
    await emulator.close();
    await Deno.remove(workspace, { recursive: true });
  }
});

Deno.test("--match-commit: a refusal after the first page is a failure, never a restarted scan", async () => {
  const now = Date.parse("2026-11-27T12:00:00Z");
  const recent = "2026-11-20T00:00:00";
  const runs = ["cmit0001", "cmit0002", "cmit0003"].map((id) =>
    run(id, "finished", { commit: SHA, createdAt: recent })
  );
  // The filter is served, then the second page is refused: the runs already read are not read
  // again by a scan (they would count twice), and the report does not pretend to be whole.
  const server = await startEmulator({
    fixture: {
      ...testFixture(runs),
      filterFields: ["commit"],
      faults: [{ status: 422, operation: "WandbReportRuns", after: 1 }],
    },
  });
  try {
    const r = await runCli(
      server,
      [...PROJECT, "--sha", SHA, "--match-commit", "--page-size", "1"],
      {
        deps: { now: () => now },
      },
    );
    assertEquals(r.code, 3, r.stderr);
    assertEquals(server.stats.operations.WandbReportRuns, 2, JSON.stringify(server.stats));
    assert(!r.stderr.includes("does not filter on commit"), r.stderr);
    assertEquals(r.csv, undefined, "nothing written");
  } finally {
    await server.close();
  }
});
