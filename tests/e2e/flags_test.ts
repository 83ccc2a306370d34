// Every flag `--help` lists is exercised by a test. Most are in the suites
// of their feature; this file covers the rest, each through its flag rather
// than its variable, and then checks that no listed flag is left untested.
import { runChatopsCli, runCommentCli, runEmulatorCli, runStatusCli } from "../../lib/cli/mod.ts";

import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import { commentEvent, EXAMPLE_REPO } from "../_events.ts";
import { startGithubServer } from "../_github_server.ts";
import { PROJECT, runCli, SHA, testFixture, withEmulator } from "../_helpers.ts";

const TOKEN = "ghs_flagstoken4Tq8Zr1Mw6Yp3Lk9";

Deno.test("report --chart: the markdown carries a Mermaid chart per metric", async () => {
  await withEmulator({}, async (emulator) => {
    const r = await runCli(emulator, [
      ...PROJECT,
      "--sha",
      SHA,
      "--baseline-tags",
      "baseline, reference",
      "--metrics",
      "accuracy",
      "--chart",
      "--format",
      "markdown",
    ]);
    assertEquals(r.code, 0, r.stderr);
    assertMatch(r.stdout, /```mermaid\n---\n[\s\S]*?\n---\nxychart-beta/);
    const plain = await runCli(emulator, [...PROJECT, "--sha", SHA, "--format", "markdown"]);
    assertEquals(plain.stdout.includes("```mermaid"), false);
  });
});

Deno.test("chatops flags: --trigger-phrase, --allowed-associations, --event-name, --event-path, --repository", async () => {
  const server = await startGithubServer({
    repo: EXAMPLE_REPO,
    pulls: [{ number: 7, headRefOid: SHA, headRefName: "feature" }],
    tokens: { [TOKEN]: { login: "github-actions[bot]", write: false } },
  });
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/event.json`,
      JSON.stringify(commentEvent({ body: "/report now", association: "CONTRIBUTOR" })),
    );
    await Deno.writeTextFile(`${dir}/out`, "");
    let stderr = "";
    const code = await runChatopsCli([
      "--trigger-phrase",
      "/report",
      "--allowed-associations",
      "CONTRIBUTOR",
      "--event-name",
      "issue_comment",
      "--event-path",
      `${dir}/event.json`,
      "--repository",
      EXAMPLE_REPO,
    ], {
      env: {
        GITHUB_TOKEN: TOKEN,
        GITHUB_GRAPHQL_URL: `${server.url}/graphql`,
        GITHUB_OUTPUT: `${dir}/out`,
      },
      stdout: () => {},
      stderr: (t) => (stderr += t),
    });
    assertEquals(code, 0, stderr);
    const out = await Deno.readTextFile(`${dir}/out`);
    assertStringIncludes(out, "BOOL_TRIGGERED=True");
    assertStringIncludes(out, `SHA=${SHA}`);
    assertStringIncludes(out, "TRAILING_TOKEN=now");
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("comment flags: --body-file and --repository post the rendered report", async () => {
  const server = await startGithubServer({
    repo: EXAMPLE_REPO,
    pulls: [{ number: 7, headRefOid: SHA, headRefName: "feature" }],
    tokens: { [TOKEN]: { login: "github-actions[bot]", write: true } },
  });
  const body = await Deno.makeTempFile({ suffix: ".md" });
  try {
    await Deno.writeTextFile(body, "<!-- wandb-report key=acme/vision workflow=CI -->\nhello");
    let stderr = "";
    const code = await runCommentCli(
      ["--body-file", body, "--pr-number", "7", "--repository", EXAMPLE_REPO],
      {
        env: { GITHUB_TOKEN: TOKEN, GITHUB_GRAPHQL_URL: `${server.url}/graphql` },
        stdout: () => {},
        stderr: (t) => (stderr += t),
      },
    );
    assertEquals(code, 0, stderr);
    assertMatch(stderr, /^comment created: /m);
    assertEquals(server.comments.at(-1)!.body.endsWith("hello"), true);
    const missing = await runCommentCli(["--body-file", `${body}.nope`, "--pr-number", "7"], {
      env: { GITHUB_TOKEN: TOKEN },
      stdout: () => {},
      stderr: (t) => (stderr = t),
    });
    assertEquals(missing, 2);
    assertMatch(stderr, /^error: --body-file: expected a readable file with the rendered report/);
  } finally {
    await server.close();
    await Deno.remove(body);
  }
});

Deno.test("emulator flags: --fixture, --port and --no-keys-argument", async () => {
  const fixture = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(fixture, JSON.stringify(testFixture()));
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  let banner!: (url: string) => void;
  const listening = new Promise<string>((resolve) => (banner = resolve));
  const running = runEmulatorCli(
    ["--fixture", fixture, "--port", "0", "--no-keys-argument"],
    {
      env: {},
      stdout: () => {},
      stderr: (t) => {
        const url = t.match(/export WANDB_BASE_URL=(\S+)/)?.[1];
        if (url) banner(url);
      },
    },
    "wandb-report-emulator",
    stopped,
  );
  try {
    const url = await listening;
    // Without keys: projections the report falls back to full fields, and says so.
    const r = await runCli({ url }, [...PROJECT, "--sha", SHA]);
    assertEquals(r.code, 0, r.stderr);
    assertMatch(r.stderr, /note: the server does not support keys: projections/);
  } finally {
    stop();
    assertEquals(await running, 0);
    await Deno.remove(fixture);
  }
});

Deno.test("every flag --help lists is exercised by some test", async () => {
  const { runReportCli } = await import("../../lib/cli/mod.ts");
  const sources = await Promise.all(
    [...walk(new URL("../", import.meta.url).pathname)].map((f) => Deno.readTextFile(f)),
  );
  const tests = sources.join("\n");
  for (const cli of [runReportCli, runChatopsCli, runCommentCli, runEmulatorCli, runStatusCli]) {
    let help = "";
    await cli(["--help"], { env: {}, stdout: (t) => (help += t), stderr: () => {} });
    for (const flag of help.match(/^ {2}--[a-z-]+/gm) ?? []) {
      const name = flag.trim();
      if (name === "--help" || name === "--version") continue;
      assert(tests.includes(`"${name}"`), `no test passes ${name}`);
    }
  }
  // --help and --version, on every command.
  for (const cli of [runReportCli, runChatopsCli, runCommentCli, runEmulatorCli, runStatusCli]) {
    let out = "";
    assertEquals(
      await cli(["--version"], { env: {}, stdout: (t) => (out += t), stderr: () => {} }),
      0,
    );
    assertMatch(out, /^@org\/wandb-report \d+\.\d+\.\d+\n$/);
  }
});

function* walk(dir: string): Generator<string> {
  for (const entry of Deno.readDirSync(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* walk(path);
    else if (entry.name.endsWith("_test.ts")) yield path;
  }
}
