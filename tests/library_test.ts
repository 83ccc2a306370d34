// The library's door: options that did not come through the CLI are held to
// the CLI's rules, and a wait ends whatever the clock does.
import { collectReport, InvalidInputError, waitForCandidates } from "../mod.ts";
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { API_KEY, PROJECT, runCli, runProcess, SHA, withEmulator } from "./_helpers.ts";

const OPTIONS = {
  apiKey: API_KEY,
  entity: "acme",
  project: "vision",
  match: { by: "sha" as const, sha: SHA, matchCommit: false },
  baselineTags: [],
  metrics: [],
  configVars: [],
  baseUrl: "http://127.0.0.1:9",
  pageSize: 100,
  timeoutSeconds: 20,
  maxAttempts: 1,
  maxRetrySeconds: 0,
  maxResponseMb: 64,
  commitScanDays: 30,
  waitSeconds: 60,
  pollSeconds: 10,
};

Deno.test("library: options the CLI would refuse are an InvalidInputError naming the option", async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ pollSeconds: 0 }, /^options\.pollSeconds: expected a duration from 1s to 1h, got "0"$/],
    [{ pollSeconds: 3e10 }, /^options\.pollSeconds: expected a duration from 1s to 1h/],
    [{ timeoutSeconds: NaN }, /^options\.timeoutSeconds: expected a number of seconds/],
    [{ waitSeconds: Infinity }, /^options\.waitSeconds: expected a duration of at most 7 days/],
    [{ baseUrl: "not a url" }, /^options\.baseUrl: expected an http:\/\/ or https:\/\/ URL/],
    [{ pageSize: 0 }, /^options\.pageSize: expected a whole number from 1 to 1000/],
  ];
  for (const [change, message] of cases) {
    let error: unknown;
    await waitForCandidates({ ...OPTIONS, ...change }).catch((e) => (error = e));
    assert(error instanceof InvalidInputError, `${JSON.stringify(change)}: ${error}`);
    assertMatch((error as Error).message, message);
  }
});

Deno.test("library: --wait ends after its time even when the clock stands still or goes back", async () => {
  await withEmulator({}, async (emulator) => {
    for (
      const clock of [
        () => 0,
        (() => {
          let t = 1e6;
          return () => (t -= 1000);
        })(),
      ]
    ) {
      const sleeps: number[] = [];
      const result = await waitForCandidates(
        { ...OPTIONS, baseUrl: emulator.url, waitSeconds: 60, pollSeconds: 10 },
        { now: clock, sleep: (ms) => (sleeps.push(ms), Promise.resolve()) },
      );
      // The test project has candidates that never end: the wait runs out.
      assertEquals(result.classification.complete, false);
      assertEquals(sleeps.reduce((a, b) => a + b, 0), 60_000);
      assertEquals(sleeps, [10_000, 15_000, 22_500, 12_500]);
    }
  });
});

Deno.test("cli: a --poll-interval of years is a one-line input error, not a timer warning", async () => {
  const r = await runCli({ url: "http://127.0.0.1:9" }, [
    ...PROJECT,
    "--sha",
    SHA,
    "--wait",
    "1h",
    "--poll-interval",
    "900000h",
  ]);
  assertEquals(r.code, 2);
  assertEquals(
    r.stderr,
    'error: --poll-interval: expected a duration from 1s to 1h, got "900000h"\n',
  );
});

Deno.test("library: collectReport takes the few options a caller knows; the rest are the CLI's defaults", async () => {
  await withEmulator({}, async (emulator) => {
    const result = await collectReport({
      apiKey: API_KEY,
      entity: "acme",
      project: "vision",
      match: { by: "sha", sha: SHA, matchCommit: false },
      baseUrl: `${emulator.url}/`,
    });
    // The CLI's report on the same commit, with its defaults: the same step outputs.
    const cli = await runCli(emulator, [...PROJECT, "--sha", SHA]);
    for (const [key, value] of Object.entries(result.outputs)) {
      assertEquals([key, value], [key, cli.outputs[key]]);
    }
    assert(Number(result.outputs.NUM_CANDIDATES) > 0, "the fixture's candidates were found");
    // The base URL was normalised (no trailing slash), as the CLI does.
    assertEquals(result.appUrl, emulator.url);
  });
});

// By `deno doc`, types included: what a reader of the package's page sees.
Deno.test("library: mod.ts exports the names docs/library.md documents, as many as it says, at most 40", async () => {
  const doc = await runProcess(Deno.execPath(), ["doc", "--json", "mod.ts"], {
    cwd: new URL("..", import.meta.url).pathname,
    env: { NO_COLOR: "1" },
  });
  assertEquals(doc.code, 0, doc.stderr);
  const nodes = (JSON.parse(doc.stdout) as {
    nodes: Record<string, { symbols: { name: string }[] }>;
  }).nodes;
  const names = new Set(Object.values(nodes).flatMap((n) => n.symbols.map((s) => s.name)));
  const page = await Deno.readTextFile(new URL("../docs/library.md", import.meta.url));
  // Named in its text or in its example's import.
  const named = new Set([...page.matchAll(/[A-Za-z]+/g)].map((m) => m[0]));
  const undocumented = [...names].filter((name) => !named.has(name));
  assertEquals(undocumented, [], "exported by mod.ts but not named in docs/library.md");
  const said = Number(page.match(/These (\d+) names are the whole face of `mod\.ts`/)?.[1]);
  assertEquals(names.size, said, "the count docs/library.md gives");
  assert(names.size <= 40, `${names.size} names`);
});
