// Shared test helpers: a small explicit fixture, an emulator per test, and a
// CLI runner that captures everything the report writes.
import { parse as parseCsv } from "csv-parse/sync";
import { runReportCli } from "../lib/cli/mod.ts";
import type { FixtureInput } from "../lib/emulator/fixtures.ts";
import { type Emulator, type EmulatorOptions, startEmulator } from "../lib/emulator/server.ts";
import type { RetryDeps } from "../lib/ground/retry.ts";
import { classify, stepOutputs } from "../lib/classify.ts";
import type { Run } from "../lib/ground/model.ts";
import type { ReportResult } from "../lib/pipeline/mod.ts";

/** Long and distinctive, so a leak anywhere is found by a plain substring search. */
export const API_KEY = "test-key-Zq7mW2xP9vL4nK8sT1yR6uE3oI5aS0dF";
export const SHA = "1111111aaaaaaabbbbbbbcccccccdddddddeeeee";
export const OTHER_SHA = "2222222aaaaaaabbbbbbbcccccccdddddddeeeee";
export const SECONDARY = "3333333";

let clock = 0;
const at = () =>
  `2026-11-01T00:${String(Math.floor(clock / 60)).padStart(2, "0")}:${
    String(clock++ % 60).padStart(2, "0")
  }`;

/** A run for the test fixture. */
export function run(
  name: string,
  state: string,
  opts: {
    sha?: string;
    secondary?: string;
    tags?: string[];
    commit?: string;
    metrics?: Record<string, unknown>;
    config?: Record<string, unknown>;
    displayName?: string;
    createdAt?: string;
  } = {},
) {
  return {
    name,
    displayName: opts.displayName ?? `run ${name}`,
    state,
    tags: opts.tags ?? [],
    createdAt: opts.createdAt ?? at(),
    commit: opts.commit,
    config: {
      ...(opts.sha ? { github_sha: opts.sha } : {}),
      ...(opts.secondary ? { secondary_sha: opts.secondary } : {}),
      lr: 0.01,
      model: { depth: 4 },
      ...opts.config,
    },
    summaryMetrics: { accuracy: 0.9, loss: 0.3, _runtime: 60, ...opts.metrics },
  };
}

/** The standard test project: candidates in every state, baselines, bystanders. */
export function testFixture(extraRuns: ReturnType<typeof run>[] = []): FixtureInput {
  return {
    apiKeys: [API_KEY],
    projects: [{
      entity: "acme",
      name: "vision",
      runs: [
        run("base0001", "finished", {
          sha: OTHER_SHA,
          tags: ["baseline"],
          metrics: { accuracy: 0.88 },
        }),
        run("base0002", "crashed", { tags: ["reference"], metrics: { accuracy: 0.5 } }),
        run("cand0001", "finished", {
          sha: SHA,
          secondary: SECONDARY,
          metrics: { accuracy: 0.91 },
        }),
        run("cand0002", "finished", {
          sha: SHA,
          tags: ["baseline"],
          metrics: { accuracy: 0.92, loss: NaN },
        }),
        run("cand0003", "running", { sha: SHA, secondary: "4444444" }),
        run("cand0004", "killed", { sha: SHA }),
        run("cand0005", "crashed", { sha: SHA }),
        run("cand0006", "failed", { sha: SHA }),
        run("cand0007", "pending", { sha: SHA }),
        run("cmit0001", "finished", { commit: SHA }),
        run("othr0001", "finished", { sha: OTHER_SHA }),
        ...extraRuns,
      ],
    }],
  };
}

/** Runs `fn` with an emulator that is always closed afterwards. */
export async function withEmulator<T>(
  options: Partial<EmulatorOptions>,
  fn: (emulator: Emulator) => Promise<T>,
): Promise<T> {
  const emulator = await startEmulator({ fixture: testFixture(), ...options });
  try {
    return await fn(emulator);
  } finally {
    await emulator.close();
  }
}

/** What one CLI run produced. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The CSV text, or undefined when no file was written. */
  csv?: string;
  /** The CSV parsed into records (header → cell). */
  records: Record<string, string>[];
  /** `$GITHUB_OUTPUT` content. */
  githubOutput: string;
  /** Parsed `name=value` lines of `$GITHUB_OUTPUT`. */
  outputs: Record<string, string>;
  /** Files left in the output directory (to catch temp files). */
  files: string[];
}

/** Runs the report CLI in-process against `emulator`, in a fresh temp dir. */
export async function runCli(
  emulator: Emulator | { url: string },
  args: string[],
  opts: {
    env?: Record<string, string>;
    http?: RetryDeps;
    baseDelayMs?: number;
    deps?: { now?: () => number; sleep?: (ms: number) => Promise<void> };
    /** Pretend stdout and stderr are terminals (the table view, live progress). */
    terminal?: { stdout: boolean; stderr: boolean; columns?: number };
  } = {},
): Promise<CliRun> {
  const dir = await Deno.makeTempDir({ prefix: "wandb-report-test-" });
  try {
    const out = `${dir}/wandb_report.csv`;
    const githubOutput = `${dir}/github_output`;
    await Deno.writeTextFile(githubOutput, "");
    let stdout = "";
    let stderr = "";
    const code = await runReportCli(
      ["--out", out, ...args],
      {
        env: {
          WANDB_API_KEY: API_KEY,
          WANDB_BASE_URL: emulator.url,
          GITHUB_OUTPUT: githubOutput,
          ...opts.env,
        },
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        terminal: opts.terminal,
        deps: { http: opts.http, baseDelayMs: opts.baseDelayMs ?? 5, ...opts.deps },
      },
    );
    const csv = await Deno.readTextFile(out).catch(() => undefined);
    const gho = await Deno.readTextFile(githubOutput);
    const files = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    return {
      code,
      stdout,
      stderr,
      csv,
      records: csv ? parseCsv(csv, { columns: true }) as Record<string, string>[] : [],
      githubOutput: gho,
      outputs: Object.fromEntries(
        gho.split("\n").filter((l) => l.includes("=")).map((l) => {
          const i = l.indexOf("=");
          return [l.slice(0, i), l.slice(i + 1)];
        }),
      ),
      files,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The common project flags. */
export const PROJECT = ["--project", "acme/vision"];

/**
 * The environment a child Deno needs and nothing more: where packages are
 * (and the TLS proxy's CA, without which downloads fail with UnknownIssuer).
 */
export function childEnv(): Record<string, string> {
  const keep = [
    "PATH",
    "HOME",
    "DENO_DIR",
    "NODE_EXTRA_CA_CERTS",
    "DENO_TLS_CA_STORE",
    "NPM_CONFIG_REGISTRY",
  ];
  return Object.fromEntries(keep.flatMap((k) => (Deno.env.get(k) ? [[k, Deno.env.get(k)!]] : [])));
}

/** A finished child process: its exit code and decoded output. */
export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `command` to the end with only {@link childEnv} plus `env`, no stdin,
 * and its output captured.
 */
export async function runProcess(
  command: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<ProcessResult> {
  const out = await new Deno.Command(command, {
    args,
    cwd: opts.cwd,
    env: { ...childEnv(), ...opts.env },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

/** Runs `fn` in a new temporary folder named `prefix…`, removed after, whatever `fn` did. */
export async function withTempDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Where this Deno keeps the npm packages it downloaded (`deno info --json`'s `npmCache`). */
export async function npmCache(): Promise<string> {
  const info = await runProcess(Deno.execPath(), ["info", "--json"], { env: { NO_COLOR: "1" } });
  return (JSON.parse(info.stdout) as { npmCache: string }).npmCache;
}

/**
 * Starts the report CLI as a real process (`deno run mod.ts`) in `cwd`
 * against the W&B at `wandbUrl`: for what only a process shows (signals,
 * closed pipes). Stdin is closed and stderr piped; the caller reads it.
 */
export function spawnReport(
  args: string[],
  opts: { cwd: string; wandbUrl: string; stdout: "piped" | "null" },
): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-all",
      new URL("../mod.ts", import.meta.url).pathname,
      ...args,
    ],
    cwd: opts.cwd,
    env: { ...childEnv(), WANDB_API_KEY: API_KEY, WANDB_BASE_URL: opts.wandbUrl },
    clearEnv: true,
    stdin: "null",
    stdout: opts.stdout,
    stderr: "piped",
  }).spawn();
}

/**
 * What `collectReport` would have found for these runs of acme/vision at
 * `sha` (no W&B asked): for tests that judge and render runs made in memory.
 */
export function collected(
  candidates: Run[],
  baselines: Run[],
  sha = "abc1234",
): ReportResult {
  const classification = classify(candidates, baselines);
  return {
    entity: "acme",
    project: "vision",
    appUrl: "https://wandb.ai",
    sha,
    candidates,
    baselines,
    classification,
    outputs: stepOutputs(classification, sha),
    traffic: { requests: 1, responseBytes: 1 },
    notes: [],
  };
}
