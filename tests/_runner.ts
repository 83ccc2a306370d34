// A small simulated GitHub Actions runner for the reusable workflow: it
// evaluates `if:`, `env:`, `with:` and outputs with GitHub's own expression
// engine (@actions/expressions), runs each `run:` script under bash the way
// the runner does (`bash --noprofile --norc -eo pipefail`, a fresh
// $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY per step, env from the step's
// `env:`), and stands in for the three actions we use (checkout: our own
// tree; setup-deno: this Deno; upload-artifact: checks the file).
import { data, Evaluator, Lexer, Parser } from "@actions/expressions";
import type { FunctionDefinition } from "@actions/expressions/funcs/info";
import { truthy } from "@actions/expressions/result";
import { createHash } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { nestedPermissionViolations } from "./_permissions.ts";

// deno-lint-ignore no-explicit-any
type Yaml = any;

/** What a step did. */
export interface StepRun {
  id: string;
  name: string;
  outcome: "success" | "failure" | "skipped";
  outputs: Record<string, string>;
  log: string;
  env: Record<string, string>;
}

/** What a job did. */
export interface JobRun {
  result: "success" | "failure" | "skipped";
  steps: StepRun[];
  outputs: Record<string, string>;
  summary: string;
}

/** What the whole workflow did. */
export interface WorkflowRun {
  jobs: Record<string, JobRun>;
  outputs: Record<string, string>;
  /** Uploaded artifacts: `path`/`content` are the first file's, `files` all of them by name. */
  artifacts: { name: string; path: string; content: string; files: Record<string, string> }[];
}

/** The simulated caller. */
export interface RunnerSetup {
  /** The workflow file's text. */
  workflow: string;
  /** The caller's `github` context (event_name, event, sha, repository, token, …). */
  github: Record<string, unknown>;
  /** The caller's `with:`; defaults come from the workflow's inputs. */
  inputs: Record<string, unknown>;
  /** The caller's `secrets:`. */
  secrets: Record<string, string>;
  /** Extra process environment for every step (e.g. emulator URLs). */
  env?: Record<string, string>;
  /** Where our tool is checked out from (the repository under test). */
  toolDir: string;
  /** What `actions/checkout` without `repository:` checks out (default `toolDir`). */
  checkout?: string;
  /** A directory put first on PATH: stand-ins for commands a test watches (`deno`, `gh`). */
  shims?: string;
  /** The `job` context (default: our repository at a fixed SHA). */
  job?: Record<string, string>;
  /** Repositories checkout cannot read unless `with: token` is `readToken`. */
  privateRepos?: string[];
  /** The token that can read `privateRepos`. */
  readToken?: string;
  /**
   * What the calling job grants (`permissions:`). When given, the run is
   * refused at startup, as GitHub refuses it, if a called job asks for more;
   * a called job without `permissions:` takes this grant.
   */
  permissions?: Record<string, string>;
  /** The `github.token` a job gets for its effective permissions (default `github.token`). */
  tokenFor?: (permissions: Record<string, string>) => string;
  /**
   * The caller run's artifacts so far (its other jobs' uploads: a matrix's
   * legs); this run's uploads are added to it.
   */
  artifacts?: WorkflowRun["artifacts"];
}

const STATUS_FUNCTIONS = [
  ...["success", "always", "failure", "cancelled"].map((name) => ({
    name,
    minArgs: 0,
    maxArgs: 0,
  })),
  { name: "hashFiles", minArgs: 1, maxArgs: 255 },
];

/** `hashFiles` for plain paths (no globs), relative to the workspace, as the runner hashes. */
function hashFiles(workspace: string, paths: string[]): string {
  const hash = createHash("sha256");
  let any = false;
  for (const path of paths) {
    if (/[*?[]/.test(path)) {
      throw new Error(`the simulated runner's hashFiles takes no globs: ${path}`);
    }
    try {
      hash.update(createHash("sha256").update(Deno.readFileSync(join(workspace, path))).digest());
      any = true;
    } catch {
      // A missing file hashes to nothing, as on the runner.
    }
  }
  return any ? hash.digest("hex") : "";
}

function toData(value: unknown): data.Dictionary {
  return JSON.parse(JSON.stringify(value ?? {}), data.reviver);
}

/** Evaluates one expression (without the `${{ }}`). */
function evaluate(expression: string, contexts: Record<string, unknown>, failed: boolean) {
  const lexed = new Lexer(expression).lex();
  const names = Object.keys(contexts);
  const parsed = new Parser(lexed.tokens, names, STATUS_FUNCTIONS).parse();
  const status: [string, boolean][] = [
    ["success", !failed],
    ["always", true],
    ["failure", failed],
    ["cancelled", false],
  ];
  const workspace = String((contexts.github as { workspace?: string })?.workspace ?? ".");
  const functions = new Map<string, FunctionDefinition>([
    ...status.map(([name, value]): [string, FunctionDefinition] => [name, {
      name,
      minArgs: 0,
      maxArgs: 0,
      call: () => new data.BooleanData(value),
    }]),
    ["hashfiles", {
      name: "hashFiles",
      minArgs: 1,
      maxArgs: 255,
      call: (...args) =>
        new data.StringData(hashFiles(workspace, args.map((a) => a.coerceString()))),
    }],
  ]);
  const context = new data.Dictionary(
    ...names.map((key) => ({ key, value: toData(contexts[key]) })),
  );
  return new Evaluator(parsed, context, functions).evaluate();
}

/** Replaces each `${{ … }}` in a string; other values pass through. */
function template(value: unknown, contexts: Record<string, unknown>, failed = false): string {
  if (typeof value !== "string") return value === undefined ? "" : String(value);
  return value.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expr: string) => {
    const result = evaluate(expr.trim(), contexts, failed);
    return result instanceof data.StringData ? result.value : result.coerceString();
  });
}

function condition(value: unknown, contexts: Record<string, unknown>, failed: boolean): boolean {
  if (value === undefined) return !failed;
  const text = String(value).trim().replace(/^\$\{\{([\s\S]*)\}\}$/, "$1");
  // A condition without a status function means `success() && (…)`.
  const status = /\b(success|always|failure|cancelled)\(\)/.test(text);
  const result = truthy(evaluate(text, contexts, failed));
  return status ? result : !failed && result;
}

function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = line.match(/^([^=<]+)<<(.+)$/);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      outputs[heredoc[1]!] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (line.includes("=")) {
      outputs[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
    }
  }
  return outputs;
}

/** Runs the workflow's jobs in `needs` order, as a caller would. */
export async function runWorkflow(setup: RunnerSetup): Promise<WorkflowRun> {
  const doc = parseYaml(setup.workflow) as Yaml;
  if (setup.permissions) {
    // GitHub checks every called job against the caller's grant before anything runs.
    const caller = toYaml({
      jobs: { caller: { permissions: setup.permissions, uses: "callee@x" } },
    });
    const refused = nestedPermissionViolations(caller, setup.workflow, "callee");
    if (refused.length) {
      throw new Error(`GitHub would not start the workflow: ${refused.join("; ")}`);
    }
  }
  const declared = (doc.on?.workflow_call?.inputs ?? {}) as Record<string, Yaml>;
  const inputs = Object.fromEntries(
    Object.entries(declared).map(([name, spec]) => [
      name,
      setup.inputs[name] ?? spec.default ??
        (spec.type === "boolean" ? false : spec.type === "number" ? 0 : ""),
    ]),
  );
  const workspace = await Deno.makeTempDir({ prefix: "wandb-runner-" });
  const temp = await Deno.makeTempDir({ prefix: "wandb-runner-temp-" });
  const eventPath = join(temp, "event.json");
  await Deno.writeTextFile(eventPath, JSON.stringify(setup.github.event ?? {}));
  const github = { workspace, run_id: "4242", run_attempt: "1", ...setup.github };
  const artifacts: WorkflowRun["artifacts"] = setup.artifacts ?? [];
  const jobs: Record<string, JobRun> = {};

  // A matrix job runs once per combination, as `id (value, …)`.
  type Planned = { id: string; job: Yaml; matrix: Record<string, unknown> };
  const order: Planned[] = [];
  for (const [id, job] of Object.entries(doc.jobs) as [string, Yaml][]) {
    const matrix = job.strategy?.matrix as Record<string, unknown> | undefined;
    let combos: Record<string, unknown>[] = [{}];
    for (const [key, values] of Object.entries(matrix ?? {})) {
      if (!Array.isArray(values)) continue;
      combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
    }
    for (const c of combos) {
      order.push({ id: matrix ? `${id} (${Object.values(c).join(", ")})` : id, job, matrix: c });
    }
  }
  try {
    for (const { id, job, matrix } of order) {
      const needs: string[] = [job.needs ?? []].flat();
      const needsContext = Object.fromEntries(
        needs.map((n) => [n, { result: jobs[n]!.result, outputs: jobs[n]!.outputs }]),
      );
      const upstreamFailed = needs.some((n) => jobs[n]!.result !== "success");
      const effective: Record<string, string> = job.permissions ?? setup.permissions ?? {};
      const token = setup.tokenFor?.(effective) ?? String(setup.github.token ?? "");
      const base = {
        github: { ...github, token },
        matrix,
        inputs,
        secrets: setup.secrets,
        needs: needsContext,
        job: setup.job ??
          { workflow_repository: "org/wandb-report", workflow_sha: "f".repeat(40) },
        runner: { temp, os: "Linux" },
        vars: {},
      };
      if (!condition(job.if, base, upstreamFailed)) {
        jobs[id] = { result: "skipped", steps: [], outputs: {}, summary: "" };
        continue;
      }
      const jobEnv: Record<string, string> = {};
      for (const [k, v] of Object.entries(job.env ?? {})) jobEnv[k] = template(v, base);
      const steps: StepRun[] = [];
      const stepsContext: Record<string, { outcome: string; outputs: Record<string, string> }> = {};
      let failed = false;
      let summary = "";
      for (const [index, step] of (job.steps as Yaml[]).entries()) {
        const sid = step.id ?? `step${index}`;
        const contexts = { ...base, env: jobEnv, steps: stepsContext };
        if (!condition(step.if, contexts, failed)) {
          stepsContext[sid] = { outcome: "skipped", outputs: {} };
          steps.push({
            id: sid,
            name: step.name,
            outcome: "skipped",
            outputs: {},
            log: "",
            env: {},
          });
          continue;
        }
        const env: Record<string, string> = { ...jobEnv };
        for (const [k, v] of Object.entries(step.env ?? {})) env[k] = template(v, contexts);
        const withs: Record<string, string> = {};
        for (const [k, v] of Object.entries(step.with ?? {})) withs[k] = template(v, contexts);
        // The runner hands out OIDC tokens only to jobs with id-token: write.
        const oidc: Record<string, string> = job.permissions?.["id-token"] === "write"
          ? {
            ACTIONS_ID_TOKEN_REQUEST_URL: "https://token.actions.invalid/oidc",
            ACTIONS_ID_TOKEN_REQUEST_TOKEN: "simulated-oidc-request-token",
          }
          : {};
        const result = step.uses
          ? await fakeAction(step.uses, withs, {
            workspace,
            toolDir: setup.toolDir,
            checkout: setup.checkout,
            privateRepos: setup.privateRepos ?? [],
            readToken: setup.readToken,
            artifacts,
          })
          : await runScript(step.run, env, {
            workspace,
            temp,
            eventPath,
            github,
            extra: { ...setup.env, ...oidc },
            shims: setup.shims,
          });
        summary += result.summary ?? "";
        const outcome = result.code === 0 ? "success" : "failure";
        // continue-on-error: the step's outcome is failure, the job goes on.
        failed ||= outcome === "failure" && step["continue-on-error"] !== true;
        stepsContext[sid] = { outcome, outputs: result.outputs };
        steps.push({
          id: sid,
          name: step.name,
          outcome,
          outputs: result.outputs,
          log: result.log,
          env,
        });
      }
      const outputs: Record<string, string> = {};
      for (const [k, v] of Object.entries(job.outputs ?? {})) {
        outputs[k] = template(v, { ...base, env: jobEnv, steps: stepsContext });
      }
      jobs[id] = { result: failed ? "failure" : "success", steps, outputs, summary };
    }
    const outputs: Record<string, string> = {};
    const jobsContext = Object.fromEntries(
      Object.entries(jobs).map(([k, j]) => [k, { result: j.result, outputs: j.outputs }]),
    );
    for (const [k, v] of Object.entries(doc.on?.workflow_call?.outputs ?? {}) as [string, Yaml][]) {
      outputs[k] = template(v.value, { jobs: jobsContext });
    }
    return { jobs, outputs, artifacts };
  } finally {
    await Deno.remove(workspace, { recursive: true });
    await Deno.remove(temp, { recursive: true });
  }
}

interface StepResult {
  code: number;
  outputs: Record<string, string>;
  log: string;
  summary?: string;
}

async function runScript(
  script: string,
  env: Record<string, string>,
  ctx: {
    workspace: string;
    temp: string;
    eventPath: string;
    github: Record<string, unknown>;
    extra: Record<string, string>;
    shims?: string;
  },
): Promise<StepResult> {
  const file = await Deno.makeTempFile({ dir: ctx.temp, suffix: ".sh" });
  const output = await Deno.makeTempFile({ dir: ctx.temp });
  const summaryFile = await Deno.makeTempFile({ dir: ctx.temp });
  await Deno.writeTextFile(file, script);
  const g = ctx.github;
  // The variables the runner sets for every step, then the step's env:.
  const runnerEnv: Record<string, string> = {
    PATH: `${ctx.shims ? `${ctx.shims}:` : ""}${dirname(Deno.execPath())}:${
      Deno.env.get("PATH") ?? "/usr/bin:/bin"
    }`,
    HOME: Deno.env.get("HOME") ?? ctx.temp,
    ...(Deno.env.get("NODE_EXTRA_CA_CERTS")
      ? { NODE_EXTRA_CA_CERTS: Deno.env.get("NODE_EXTRA_CA_CERTS")! }
      : { DENO_TLS_CA_STORE: "system" }),
    ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: String(g.event_name),
    GITHUB_EVENT_PATH: ctx.eventPath,
    GITHUB_SHA: String(g.sha),
    GITHUB_REF_NAME: String(g.ref_name ?? "main"),
    GITHUB_REPOSITORY: String(g.repository),
    GITHUB_ACTOR: String(g.actor ?? "someone"),
    GITHUB_WORKSPACE: ctx.workspace,
    GITHUB_RUN_ID: String(g.run_id),
    GITHUB_RUN_ATTEMPT: String(g.run_attempt),
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: ctx.temp,
    ...ctx.extra,
    ...env,
  };
  const child = await new Deno.Command("bash", {
    args: ["--noprofile", "--norc", "-eo", "pipefail", file],
    cwd: ctx.workspace,
    env: runnerEnv,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: child.code,
    outputs: parseOutputFile(await Deno.readTextFile(output)),
    log: decoder.decode(child.stdout) + decoder.decode(child.stderr),
    summary: await Deno.readTextFile(summaryFile),
  };
}

async function fakeAction(
  uses: string,
  withs: Record<string, string>,
  ctx: {
    workspace: string;
    toolDir: string;
    checkout?: string;
    privateRepos: string[];
    readToken?: string;
    artifacts: WorkflowRun["artifacts"];
  },
): Promise<StepResult> {
  const action = uses.split("@")[0];
  if (action === "actions/checkout") {
    // Our tool at the workflow's commit: the tree under test.
    if (withs["persist-credentials"] !== "false") {
      return { code: 1, outputs: {}, log: "persist-credentials not false" };
    }
    if (ctx.privateRepos.includes(withs.repository ?? "") && withs.token !== ctx.readToken) {
      return { code: 1, outputs: {}, log: `Error: Repository not found: ${withs.repository}` };
    }
    // Each job starts from a fresh checkout.
    const target = join(ctx.workspace, withs.path ?? ".");
    const source = withs.repository ? ctx.toolDir : ctx.checkout ?? ctx.toolDir;
    if (withs.path) {
      await Deno.remove(target).catch(() => {});
      await Deno.symlink(source, target);
    } else {
      // The workflow's own repository, into the workspace itself. Each job
      // starts from a fresh checkout: replace the links (never anything they
      // point to) an earlier job left.
      for (const entry of Deno.readDirSync(source)) {
        const link = join(ctx.workspace, entry.name);
        const existing = await Deno.lstat(link).catch(() => undefined);
        if (existing?.isSymlink || existing?.isFile) await Deno.remove(link);
        if (existing?.isDirectory) continue;
        await Deno.symlink(join(source, entry.name), link);
      }
    }
    return { code: 0, outputs: {}, log: `checkout ${withs.repository}@${withs.ref}` };
  }
  if (action === "denoland/setup-deno") {
    const ok = withs["deno-version"] === Deno.version.deno;
    return { code: ok ? 0 : 1, outputs: { "deno-version": Deno.version.deno }, log: "setup-deno" };
  }
  if (action === "actions/upload-artifact") {
    const paths = withs.path!.split("\n").map((p) => p.trim()).filter(Boolean);
    const files: Record<string, string> = {};
    for (const path of paths) {
      const content = await Deno.readTextFile(path).catch(() => undefined);
      if (content !== undefined) files[basename(path)] = content;
    }
    if (Object.keys(files).length === 0 && withs["if-no-files-found"] === "error") {
      return {
        code: 1,
        outputs: {},
        log: `No files were found with the provided path: ${withs.path}`,
      };
    }
    if (ctx.artifacts.some((a) => a.name === withs.name)) {
      return { code: 1, outputs: {}, log: `an artifact named ${withs.name} already exists` };
    }
    const first = paths.find((p) => files[basename(p)] !== undefined) ?? paths[0]!;
    ctx.artifacts.push({
      name: withs.name!,
      path: first,
      content: files[basename(first)] ?? "",
      files,
    });
    return {
      code: 0,
      outputs: {
        "artifact-id": String(9000 + ctx.artifacts.length),
        "artifact-url": "https://example.invalid",
      },
      log: "uploaded",
    };
  }
  if (action === "actions/download-artifact") {
    // By name, or every artifact whose name matches `pattern` (a glob of *):
    // into one folder with merge-multiple, else one folder per artifact.
    const pattern = withs.pattern
      ? new RegExp(
        `^${
          withs.pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")
        }$`,
      )
      : undefined;
    const chosen = pattern
      ? ctx.artifacts.filter((a) => pattern.test(a.name))
      : ctx.artifacts.filter((a) => a.name === withs.name);
    if (!pattern && chosen.length === 0) {
      return { code: 1, outputs: {}, log: `Artifact not found: ${withs.name}` };
    }
    for (const artifact of chosen) {
      const dir = pattern && withs["merge-multiple"] !== "true"
        ? join(withs.path!, artifact.name)
        : withs.path!;
      await Deno.mkdir(dir, { recursive: true });
      for (const [name, content] of Object.entries(artifact.files)) {
        await Deno.writeTextFile(join(dir, name), content);
      }
    }
    await Deno.mkdir(withs.path!, { recursive: true });
    return {
      code: 0,
      outputs: { "download-path": withs.path! },
      log: `downloaded ${chosen.length}`,
    };
  }
  return { code: 1, outputs: {}, log: `the simulated runner does not know ${uses}` };
}
