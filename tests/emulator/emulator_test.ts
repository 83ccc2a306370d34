import { InvalidInputError } from "../../lib/ground/errors.ts";
import { mapFilter, mapPath, parseOrder, selectRuns } from "../../lib/emulator/filter.ts";
import { parseFixture } from "../../lib/emulator/fixtures.ts";
import { SDK_RUNS_QUERY } from "../../lib/emulator/sdk_queries.ts";
import { encodeCursor } from "../../lib/emulator/store.ts";
import { API_KEY, PROJECT, runCli, SHA, withEmulator } from "../_helpers.ts";
import { assertEquals, assertMatch, assertStringIncludes, assertThrows } from "../_assert.ts";

Deno.test("filter mapping: W&B paths onto the emulator's documents", () => {
  assertEquals(mapPath("config.lr.value"), "config.lr");
  assertEquals(mapPath("config.model.value.depth"), "config.model.depth");
  assertEquals(mapPath("config.model.depth"), "config.model.depth");
  assertEquals(mapPath("display_name"), "displayName");
  assertEquals(mapPath("summaryMetrics.loss"), "summary_metrics.loss");
  assertEquals(mapFilter({ $and: [{ created_at: { $lt: "x" } }, { $nor: [{ job_type: "a" }] }] }), {
    $and: [{ createdAt: { $lt: "x" } }, { $nor: [{ jobType: "a" }] }],
  });
  assertEquals(parseOrder("+created_at"), { createdAt: 1 });
  assertEquals(parseOrder("-summary_metrics.loss"), { "summary_metrics.loss": -1 });
  assertEquals(parseOrder("created_at"), { createdAt: -1 }, "no sign: newest first");
  assertEquals(parseOrder(""), { createdAt: 1 });
});

Deno.test("filter semantics: tags arrays, missing values, config, summaries, regex", () => {
  const docs = [
    {
      name: "a",
      displayName: "foo-1",
      tags: ["x", "y"],
      createdAt: "2024-01-03",
      config: { lr: 0.1, m: { d: 4 } },
      summary_metrics: { loss: 0.3, m1: { loss: 1 } },
    },
    {
      name: "b",
      displayName: "bar-2",
      tags: [],
      createdAt: "2024-01-01",
      config: { lr: 0.2 },
      summary_metrics: { loss: 0.1 },
    },
    {
      name: "c",
      displayName: "foo-3",
      tags: null,
      createdAt: "2024-01-02",
      config: {},
      summary_metrics: {},
    },
  ];
  const names = (filter: Record<string, unknown>, order = "+created_at") =>
    selectRuns(docs, filter, order).map((d) => d.name);
  assertEquals(names({}), ["b", "c", "a"]);
  assertEquals(names({ tags: "x" }), ["a"]);
  assertEquals(names({ tags: { $in: ["y", "z"] } }), ["a"]);
  assertEquals(names({ tags: { $nin: ["x"] } }), ["b", "c"]);
  assertEquals(names({ $or: [{ tags: null }, { tags: { $ne: "x" } }] }), ["b", "c"]);
  assertEquals(names({ "config.lr": 0.1 }), ["a"]);
  assertEquals(names({ "config.lr.value": 0.2 }), ["b"]);
  assertEquals(names({ "config.m.d": 4 }), ["a"]);
  assertEquals(names({ "config.lr": { $exists: false } }), ["c"]);
  assertEquals(names({ "summary_metrics.loss": { $lt: 0.2 } }), ["b"]);
  assertEquals(names({ "summary_metrics.m1.loss": 1 }), ["a"]);
  assertEquals(names({ display_name: { $regex: "^foo" } }), ["c", "a"]);
  assertEquals(names({ created_at: { $gt: "2024-01-01", $lt: "2024-01-03" } }), ["c"]);
  assertEquals(names({}, "-summary_metrics.loss"), ["a", "b", "c"]);
});

Deno.test("fixtures: validated with a message naming the field", () => {
  const fixture = parseFixture({
    apiKeys: ["k"],
    projects: [{ entity: "e", name: "p", runs: [{ name: "r" }] }],
  }, "f.json");
  assertEquals(fixture.projects[0]!.runs[0]!.state, "finished");
  const error = assertThrows(
    () =>
      parseFixture(
        { apiKeys: ["k"], projects: [{ entity: "e", name: "p", runs: [{ nam: "r" }] }] },
        "f.json",
      ),
    InvalidInputError,
  );
  assertMatch(error.message, /^f\.json: projects\.0\.runs\.0\.name: expected a fixture/);
  assertThrows(() => parseFixture({ apiKeys: [] }, "f.json"), InvalidInputError, "apiKeys");
});

// The query the W&B SDK sends (wandb-api.md §1.1) is answered with its
// fragment and variable default, and with genqlient's empty operationName.

async function post(url: string, body: unknown, key: string | null = API_KEY) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(key === null ? {} : { authorization: `Basic ${btoa(`api:${key}`)}` }),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

Deno.test("emulator: answers the SDK's Runs query with offset cursors", async () => {
  await withEmulator({}, async (emulator) => {
    const vars = {
      entity: "acme",
      project: "vision",
      filters: JSON.stringify({ "config.github_sha": { $exists: true } }),
      order: "+created_at",
    };
    const first = await post(emulator.url, {
      query: SDK_RUNS_QUERY,
      variables: { ...vars, perPage: 3 },
      operationName: "",
    });
    assertEquals(first.status, 200);
    const page = JSON.parse(first.body).data.project;
    assertEquals(page.runCount, 9);
    assertEquals(page.runs.edges.map((e: { cursor: string }) => atob(e.cursor)), [
      "arrayconnection:0",
      "arrayconnection:1",
      "arrayconnection:2",
    ]);
    assertEquals(page.runs.pageInfo, { endCursor: encodeCursor(2), hasNextPage: true });
    const node = page.runs.edges[0].node;
    assertEquals(node.name, "base0001");
    assertEquals(atob(node.id), "Run:v1:base0001:vision:acme");
    // config entries are wrapped, as W&B stores them
    assertEquals(JSON.parse(node.config).lr, { value: 0.01, desc: null });
    const rest = await post(emulator.url, {
      query: SDK_RUNS_QUERY,
      variables: { ...vars, cursor: page.runs.pageInfo.endCursor },
    });
    const tail = JSON.parse(rest.body).data.project.runs;
    assertEquals(tail.edges.length, 6, "default page of 50 holds the remaining six");
    assertEquals(tail.pageInfo.hasNextPage, false);
    assertEquals(emulator.stats.operations, { Runs: 2 });
  });
});

Deno.test("emulator: NaN in summaries goes out as a bare token, like W&B", async () => {
  await withEmulator({}, async (emulator) => {
    const r = await post(emulator.url, {
      query:
        `{ project(name: "vision", entityName: "acme") { run(name: "cand0002") { summaryMetrics(keys: ["loss"]) config(keys: ["nope"]) } } }`,
    });
    const run = JSON.parse(r.body).data.project.run;
    assertEquals(run.summaryMetrics, '{"loss":NaN}');
    assertEquals(run.config, "{}");
  });
});

Deno.test("emulator: auth, unknown projects, schema errors, viewer, introspection", async () => {
  await withEmulator({}, async (emulator) => {
    const none = await post(emulator.url, { query: "{ viewer { id } }" }, null);
    assertEquals([none.status, JSON.parse(none.body).errors[0].message], [
      401,
      "user is not logged in",
    ]);
    assertEquals((await post(emulator.url, { query: "{ viewer { id } }" }, "wrong")).status, 401);
    const viewer = await post(emulator.url, {
      query: "query Viewer { viewer { username entity } }",
    });
    assertEquals(JSON.parse(viewer.body).data.viewer, { username: "emulator", entity: "emulator" });
    const missing = await post(emulator.url, {
      query: `{ project(name: "nope", entityName: "acme") { id } }`,
    });
    assertEquals(JSON.parse(missing.body), { data: { project: null } });
    const bad = await post(emulator.url, { query: '{ project(name: "vision") { headSha } }' });
    assertEquals(bad.status, 400);
    assertStringIncludes(
      JSON.parse(bad.body).errors[0].message,
      'Cannot query field "headSha" on type "Project"',
    );
    const probe = await post(emulator.url, {
      query: `query ProbeRunInput { RunType: __type(name:"Run") { fields { name } } }`,
    });
    assertStringIncludes(probe.body, '"name":"summaryMetrics"');
    const badFilter = await post(emulator.url, {
      query:
        `{ project(name: "vision", entityName: "acme") { runCount(filters: "{\\"state\\": {\\"$bogus\\": 1}}") } }`,
    });
    assertStringIncludes(JSON.parse(badFilter.body).errors[0].message, "invalid filters");
  });
});

Deno.test("emulator: scripted faults from the fixture, per operation", async () => {
  const fixture = {
    apiKeys: [API_KEY],
    faults: [
      {
        status: 429,
        headers: { "RateLimit-Reset": "1", "RateLimit-Remaining": "0" },
        operation: "Viewer",
      },
      { status: 503, times: 2 },
    ],
  };
  await withEmulator({ fixture }, async (emulator) => {
    const other = await post(emulator.url, { query: "query Other { viewer { id } }" });
    assertEquals(other.status, 503, "the operation-less fault applies to any operation");
    const limited = await post(emulator.url, { query: "query Viewer { viewer { id } }" });
    assertEquals([limited.status, limited.headers.get("ratelimit-reset")], [429, "1"]);
    assertEquals(JSON.parse(limited.body).errors[0].message, "Rate limit exceeded");
    assertEquals(
      (await post(emulator.url, { query: "query Viewer { viewer { id } }" })).status,
      503,
    );
    assertEquals(
      (await post(emulator.url, { query: "query Viewer { viewer { id } }" })).status,
      200,
    );
    assertEquals(emulator.stats.faultsApplied, 3);
  });
});

Deno.test("emulator: a fault with after lets that many matching requests through first", async () => {
  const fixture = {
    apiKeys: [API_KEY],
    faults: [{ status: 422, operation: "Viewer", after: 2 }],
  };
  await withEmulator({ fixture }, async (emulator) => {
    const viewer = async () =>
      (await post(emulator.url, { query: "query Viewer { viewer { id } }" })).status;
    // Another operation neither counts nor is refused.
    assertEquals(
      (await post(emulator.url, { query: "query Other { viewer { id } }" })).status,
      200,
    );
    assertEquals([await viewer(), await viewer(), await viewer(), await viewer()], [
      200,
      200,
      422,
      200,
    ]);
    assertEquals(emulator.stats.faultsApplied, 1);
  });
});

Deno.test("emulator: other routes", async () => {
  await withEmulator({}, async (emulator) => {
    const home = await fetch(emulator.url);
    assertStringIncludes(await home.text(), "POST /graphql");
    const nope = await fetch(`${emulator.url}/nope`);
    assertEquals(nope.status, 404);
    await nope.body?.cancel();
    const get = await fetch(`${emulator.url}/graphql`);
    assertEquals(get.status, 405);
    await get.body?.cancel();
    const notJson = await fetch(`${emulator.url}/graphql`, { method: "POST", body: "{" });
    assertEquals(notJson.status, 400);
    await notJson.body?.cancel();
  });
});

Deno.test("emulator: a __proto__ key in a fixture's config or summary is served as data", async () => {
  const fixture = JSON.parse(
    `{"apiKeys":["${API_KEY}"],"projects":[{"entity":"acme","name":"vision","runs":[` +
      `{"name":"prot0001","config":{"github_sha":"${SHA}","__proto__":{"depth":4},"toString":"x"},` +
      `"summaryMetrics":{"__proto__":0.5}}]}]}`,
  );
  await withEmulator({ fixture }, async (emulator) => {
    const r = await runCli(emulator, [
      ...PROJECT,
      "--sha",
      SHA,
      "--metrics",
      "__proto__",
      "--config-vars",
      "__proto__, toString",
    ]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.records[0]!.__proto__, "0.5");
    assertEquals(r.records[0]!.___proto__, '{"depth":4}');
    assertEquals(r.records[0]!._toString, "x");
  });
});
