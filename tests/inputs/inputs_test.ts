import { InvalidInputError } from "../../lib/ground/errors.ts";
import {
  helpText,
  type ReportCliOptions as ReportOptions,
  resolveInputs,
} from "../../lib/inputs/report.ts";
import { assertEquals, assertStringIncludes, assertThrows } from "../_assert.ts";

const KEY = { WANDB_API_KEY: "local-key" };
const SHA = "abcdef1234567";

function options(argv: string[], env: Record<string, string> = KEY): ReportOptions {
  const run = resolveInputs(argv, env);
  if (run.kind !== "report") throw new Error(`expected a report, got ${run.kind}`);
  return run.options;
}

function error(argv: string[], env: Record<string, string> = KEY): string {
  return assertThrows(() => resolveInputs(argv, env), InvalidInputError).message;
}

Deno.test("inputs: defaults", () => {
  const o = options(["--project", "acme/vision", "--sha", SHA]);
  assertEquals(o.entity, "acme");
  assertEquals(o.project, "vision");
  assertEquals(o.match, { by: "sha", sha: SHA, secondarySha: undefined, matchCommit: false });
  assertEquals(o.baselineTags, []);
  assertEquals(o.metrics, []);
  assertEquals(o.configVars, []);
  assertEquals(o.out, "wandb_report.csv");
  assertEquals(o.baseUrl, "https://api.wandb.ai");
  assertEquals(o.appUrl, undefined);
  assertEquals(o.pageSize, 100);
  assertEquals(o.timeoutSeconds, 20);
  assertEquals(o.maxAttempts, 6);
  assertEquals(o.maxRetrySeconds, 60);
  assertEquals([o.json, o.debug], [false, false]);
  assertEquals(o.notes, []);
});

Deno.test("inputs: flags beat INPUT_* which beat WANDB_*", () => {
  const env = {
    WANDB_API_KEY: "from-wandb",
    INPUT_WANDB_API_KEY: "from-input",
    WANDB_PROJECT: "w/p",
    INPUT_PROJECT_NAME: "i/p",
    WANDB_BASE_URL: "https://api.w.example",
    INPUT_BASE_URL: "https://api.i.example",
    INPUT_FILTER_GITHUB_SHA: SHA,
  };
  const fromInput = options([], env);
  assertEquals([fromInput.apiKey, fromInput.entity], ["from-input", "i"]);
  assertEquals(fromInput.baseUrl, "https://api.i.example");
  const fromFlags = options(["--project", "f/p", "--base-url", "https://api.f.example/"], env);
  assertEquals(fromFlags.entity, "f");
  assertEquals(fromFlags.baseUrl, "https://api.f.example", "trailing slash stripped");
  const fromWandb = options([], { ...KEY, WANDB_PROJECT: "w/p", INPUT_FILTER_GITHUB_SHA: SHA });
  assertEquals(fromWandb.entity, "w");
});

Deno.test("inputs: empty INPUT_* count as unset, as GitHub passes unset inputs", () => {
  const o = options([], {
    ...KEY,
    INPUT_PROJECT_NAME: "",
    WANDB_PROJECT: "w/p",
    INPUT_FILTER_GITHUB_SHA: SHA,
    INPUT_RUN_ID: "",
    INPUT_BASELINE_TAGS: "",
  });
  assertEquals(o.entity, "w");
  assertEquals(o.match.by, "sha");
});

Deno.test("inputs: WANDB_ENTITY completes a bare project name", () => {
  const o = options(["--sha", SHA], { ...KEY, WANDB_ENTITY: "team", WANDB_PROJECT: "proj" });
  assertEquals([o.entity, o.project], ["team", "proj"]);
  const p = options(["--sha", SHA, "--project", "proj"], { ...KEY, WANDB_ENTITY: "team" });
  assertEquals([p.entity, p.project], ["team", "proj"]);
});

Deno.test("inputs: the old action's rules", () => {
  assertStringIncludes(error(["--project", "a/b"]), "--sha: expected a commit SHA or --run-id");
  assertEquals(
    error(["--project", "a/b", "--secondary-sha", SHA]),
    `--secondary-sha: expected to be used with --sha (INPUT_FILTER_GITHUB_SHA), which is not set, got "${SHA}"`,
  );
  const o = options(["--project", "a/b", "--run-id", "r1", "--sha", SHA]);
  assertEquals(o.match, { by: "run-id", runId: "r1" });
  assertEquals(o.notes, ["run id r1 given: the SHA filters are ignored"]);
});

Deno.test("inputs: what the old action never checked", () => {
  assertEquals(
    error(["--project", "acme", "--sha", SHA]),
    '--project: expected entity/project, got "acme"',
  );
  assertEquals(
    error(["--project", "a/b/c", "--sha", SHA]),
    '--project: expected entity/project, got "a/b/c"',
  );
  // The old action compared whatever it was given; only whitespace, control
  // characters and length are refused.
  for (const bad of ["two words", "tab\there", "nl\nhere", "zw\u200bsp", "a".repeat(101)]) {
    assertStringIncludes(
      error(["--project", "a/b", "--sha", bad]),
      "--sha: expected one token of printable characters",
    );
  }
  assertEquals(
    error(["--project", "a/b", "--sha", SHA], {}),
    "WANDB_API_KEY: expected your W&B API key in WANDB_API_KEY (or INPUT_WANDB_API_KEY)",
  );
  assertEquals(
    error(["--project", "a/b", "--sha", SHA, "--metrics", "['acc', '']"]),
    '--metrics: expected metric names that are not empty, got "acc,"',
  );
  // Blank entries in plain text are separators, not names.
  assertEquals(options(["--project", "a/b", "--sha", SHA, "--metrics", "acc,, ,loss"]).metrics, [
    "acc",
    "loss",
  ]);
});

Deno.test("inputs: any printable token is a SHA; hex is lower-cased, anything else kept", () => {
  for (const sha of ["abc12", "g".repeat(40), "a".repeat(41), "build-1234", "v1.2.3", "$(x)"]) {
    const match = options(["--project", "a/b", "--sha", sha]).match;
    assertEquals(match.by === "sha" && match.sha, sha, sha);
  }
  const env = {
    WANDB_API_KEY: "k",
    INPUT_FILTER_GITHUB_SHA: "FAKE-sha",
    INPUT_FILTER_SECONDARY_SHA: "X1",
  };
  const both = resolveInputs(["--project", "a/b"], env);
  assertEquals(
    both.kind === "report" && both.options.match,
    { by: "sha", sha: "FAKE-sha", secondarySha: "X1", matchCommit: false },
  );
});

Deno.test("inputs: SHAs are normalised to lower case", () => {
  assertEquals(options(["--project", "a/b", "--sha", "ABCDEF1"]).match, {
    by: "sha",
    sha: "abcdef1",
    secondarySha: undefined,
    matchCommit: false,
  });
});

Deno.test("inputs: URLs, numbers and switches", () => {
  const base = ["--project", "a/b", "--sha", SHA];
  assertEquals(
    error([...base, "--base-url", "https://wandb.ai"]),
    '--base-url: expected the API host https://api.wandb.ai, not the web app\'s, got "https://wandb.ai"',
  );
  assertStringIncludes(error([...base, "--base-url", "http://api.wandb.ai"]), "https:// for");
  assertStringIncludes(error([...base, "--base-url", "ftp://x"]), "an http:// or https:// URL");
  assertEquals(
    options([...base, "--base-url", "http://localhost:8080"]).baseUrl,
    "http://localhost:8080",
  );
  assertStringIncludes(error([...base, "--page-size", "1001"]), "from 1 to 1000");
  assertStringIncludes(error([...base, "--page-size", "2.5"]), "whole number");
  assertStringIncludes(error([...base, "--timeout", "0"]), "seconds from 0.1 to 600");
  assertEquals(options(base, { ...KEY, WANDB_HTTP_TIMEOUT: "45" }).timeoutSeconds, 45);
  assertEquals(options([...base, "--max-attempts", "1"]).maxAttempts, 1);
  assertEquals(
    error(base, { ...KEY, INPUT_MATCH_COMMIT: "maybe" }),
    'INPUT_MATCH_COMMIT: expected true or false, got "maybe"',
  );
  assertEquals(options(base, { ...KEY, INPUT_DEBUG: "false" }).debug, false);
  assertEquals(options(base, { ...KEY, RUNNER_DEBUG: "1" }).debug, true);
  assertEquals(options([...base, "--debug"], { ...KEY, INPUT_DEBUG: "false" }).debug, true);
});

Deno.test("inputs: output path from --out, else GITHUB_WORKSPACE", () => {
  const base = ["--project", "a/b", "--sha", SHA];
  assertEquals(options(base, { ...KEY, GITHUB_WORKSPACE: "/ws" }).out, "/ws/wandb_report.csv");
  assertEquals(
    options([...base, "--out", "x.csv"], { ...KEY, GITHUB_WORKSPACE: "/ws" }).out,
    "x.csv",
  );
});

Deno.test("inputs: a note when the SHA is a pull_request's merge commit", () => {
  const sha = "abcdef1234567890abcdef1234567890abcdef12";
  const base = ["--project", "a/b", "--sha", sha];
  const pr = { ...KEY, GITHUB_EVENT_NAME: "pull_request", GITHUB_SHA: sha.toUpperCase() };
  assertStringIncludes(options(base, pr).notes[0]!, "GITHUB_SHA, which on pull_request events");
  assertEquals(options(base, { ...pr, GITHUB_EVENT_NAME: "push" }).notes, []);
  assertEquals(options(base, { ...pr, GITHUB_SHA: "f".repeat(40) }).notes, []);
  assertEquals(options(["--project", "a/b", "--run-id", "r"], pr).notes, []);
});

Deno.test("inputs: --help and --version win over everything else", () => {
  assertEquals(resolveInputs(["--help", "--sha", "bad"], {}).kind, "help");
  assertEquals(resolveInputs(["-h"], {}).kind, "help");
  assertEquals(resolveInputs(["--version"], {}).kind, "version");
});

Deno.test("inputs: help documents every flag and its variables", () => {
  const help = helpText("wandb-report");
  for (
    const text of [
      "--project entity/project",
      "--sha SHA",
      "--secondary-sha SHA",
      "--run-id ID",
      "--baseline-tags LIST",
      "--metrics LIST",
      "--config-vars LIST",
      "--out FILE",
      "--base-url URL",
      "--app-url URL",
      "--match-commit",
      "--page-size N",
      "--timeout SECONDS",
      "--max-attempts N",
      "--max-retry-time SECONDS",
      "--json",
      "--debug",
      "INPUT_WANDB_API_KEY, WANDB_API_KEY",
      "INPUT_PROJECT_NAME, WANDB_PROJECT",
      "INPUT_FILTER_GITHUB_SHA",
      "INPUT_FILTER_SECONDARY_SHA",
      "INPUT_RUN_ID",
      "INPUT_BASELINE_TAGS",
      "INPUT_DISPLAY_METRICS",
      "INPUT_DISPLAY_CONFIG_VARS",
      "INPUT_BASE_URL, WANDB_BASE_URL",
      "INPUT_APP_URL, WANDB_APP_URL",
      "WANDB_HTTP_TIMEOUT",
      "INPUT_DEBUG, RUNNER_DEBUG",
    ]
  ) assertStringIncludes(help, text);
});
