// The project's own workflows under the simulated runner: the release checks
// the tag against deno.json, publishes with GitHub OIDC (no token), creates
// the release from CHANGELOG.md and moves the major tag; CI runs the README's
// test command and the demo on both systems. `deno task …`, `deno publish`
// and `gh` are stand-ins that record what they were asked (and, for `gh`,
// keep the repository's tags), so nothing is published and the suite does not
// run itself.
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import { runWorkflow } from "../_runner.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const SHA = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";

const DENO_SHIM = `#!/usr/bin/env bash
echo "deno $*|oidc=\${ACTIONS_ID_TOKEN_REQUEST_URL:+yes}" >> "$SHIM_DIR/log"
case "$1" in
  task|publish) exit 0 ;;
esac
exec "$REAL_DENO" "$@"
`;

const GH_SHIM = `#!/usr/bin/env bash
echo "gh $*" >> "$SHIM_DIR/log"
if [ "$1" = release ]; then
  while [ $# -gt 0 ]; do
    if [ "$1" = --notes-file ]; then cp "$2" "$SHIM_DIR/notes.md"; fi
    shift
  done
  exit 0
fi
method=GET; path=""; ref=""; sha=""
shift
while [ $# -gt 0 ]; do
  case "$1" in
    --method) method="$2"; shift ;;
    --jq) shift ;;
    --paginate) ;;
    -f|-F) case "$2" in ref=*) ref="\${2#ref=}" ;; sha=*) sha="\${2#sha=}" ;; esac; shift ;;
    *) path="$1" ;;
  esac
  shift
done
mkdir -p "$SHIM_DIR/tags"
case "$method:$path" in
  GET:*/matching-refs/tags/*)
    prefix="\${path##*/}"
    for tag in "$SHIM_DIR"/tags/"$prefix"*; do
      [ -f "$tag" ] && echo "refs/tags/\${tag##*/}"
    done
    exit 0 ;;
esac
case "$method" in
  GET) [ -f "$SHIM_DIR/tags/\${path##*/}" ] ;;
  PATCH) echo "$sha" > "$SHIM_DIR/tags/\${path##*/}" ;;
  POST) echo "$sha" > "$SHIM_DIR/tags/\${ref##*/}" ;;
esac
`;

async function shims(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "wandb-shims-" });
  await Deno.writeTextFile(`${dir}/deno`, DENO_SHIM, { mode: 0o755 });
  await Deno.writeTextFile(`${dir}/gh`, GH_SHIM, { mode: 0o755 });
  return dir;
}

async function release(tag: string, existingTags: Record<string, string> = {}) {
  const dir = await shims();
  await Deno.mkdir(`${dir}/tags`);
  // The pushed tag exists in the repository, as on GitHub.
  for (const [name, sha] of Object.entries({ [tag]: SHA, ...existingTags })) {
    await Deno.writeTextFile(`${dir}/tags/${name}`, `${sha}\n`);
  }
  try {
    const result = await runWorkflow({
      workflow: await Deno.readTextFile(
        `${ROOT}/.github/workflows/release.yml`,
      ),
      toolDir: ROOT,
      checkout: ROOT,
      shims: dir,
      github: {
        event_name: "push",
        event: { ref: `refs/tags/${tag}` },
        sha: SHA,
        ref_name: tag,
        repository: "org/wandb-report",
        token: "ghs_simulated",
      },
      inputs: {},
      secrets: {},
      env: { SHIM_DIR: dir, REAL_DENO: Deno.execPath() },
    });
    const log = await Deno.readTextFile(`${dir}/log`).catch(() => "");
    const notes = await Deno.readTextFile(`${dir}/notes.md`).catch(() => undefined);
    const tags = Object.fromEntries(
      [...Deno.readDirSync(`${dir}/tags`)].map((e) => [
        e.name,
        Deno.readTextFileSync(`${dir}/tags/${e.name}`).trim(),
      ]),
    );
    return { test: result.jobs.test!, job: result.jobs.release!, log, notes, tags };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const VERSION: string = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`)).version;
const MAJOR = `v${VERSION.split(".")[0]}`;

Deno.test("release: the tag is deno.json's version; tests, OIDC publish, notes from CHANGELOG.md, the major tag moves", async () => {
  const r = await release(`v${VERSION}`, { [MAJOR]: "0".repeat(40) });
  assertEquals(
    r.job.result,
    "success",
    r.job.steps.map((s) => `${s.name}: ${s.outcome} ${s.log}`).join("\n"),
  );
  assertEquals(r.test.result, "success");
  const calls = r.log.trim().split("\n");
  // The tests run where no OIDC token can be minted and nothing can be written.
  assert(calls.includes("deno task test|oidc="), r.log);
  // Published with the runner's OIDC token: no stored token on the command line.
  const publish = calls.find((c) => c.startsWith("deno publish"));
  assertEquals(publish, "deno publish|oidc=yes");
  assertMatch(
    r.log,
    new RegExp(`^gh release create v${VERSION} --verify-tag`, "m"),
  );
  assertStringIncludes(r.notes ?? "", "### Added");
  assertEquals(
    (r.notes ?? "").includes(`## [${VERSION}]`),
    false,
    "the heading itself is not in the notes",
  );
  assertEquals(
    r.tags[MAJOR],
    SHA,
    "the major tag points at the release commit",
  );
});

Deno.test("release: a backport never moves the major tag back; a newer release does", async () => {
  const [major, minor] = VERSION.split(".").map(Number) as [number, number];
  const newer = `v${major}.${minor + 9}.0`;
  const older = `v${major}.${minor}.${Number(VERSION.split(".")[2]) + 0}`;
  assertEquals(older, `v${VERSION}`);
  const backport = await release(`v${VERSION}`, {
    [newer]: "1".repeat(40),
    [MAJOR]: "1".repeat(40),
  });
  assertEquals(backport.job.result, "success");
  assertEquals(backport.tags[MAJOR], "1".repeat(40), "the major tag stays at the newer release");
  const step = backport.job.steps.find((s) => s.name.startsWith("Move the major tag"))!;
  assertMatch(
    step.log,
    new RegExp(`^::notice::${MAJOR} stays at ${newer.replaceAll(".", "\\.")}:`, "m"),
  );
  assertEquals(/PATCH|POST/.test(backport.log), false, backport.log);
  // Lower releases of the major (in version order: .10 after .9) do not hold it back.
  const lower = { [`v${major}.0.9`]: "2".repeat(40), [`v${major}.0.10`]: "3".repeat(40) };
  const forward = await release(`v${VERSION}`, { ...lower, [MAJOR]: "3".repeat(40) });
  assertEquals(forward.tags[MAJOR], SHA);
  // Another major's tags are not this one's.
  const other = await release(`v${VERSION}`, { [`v${major + 1}.0.0`]: "4".repeat(40) });
  assertEquals(other.tags[MAJOR], SHA);
});

Deno.test("release: a major tag that does not exist yet is created", async () => {
  const r = await release(`v${VERSION}`);
  assertEquals(r.job.result, "success");
  assertEquals(r.tags[MAJOR], SHA);
});

Deno.test("release: a tag that is not deno.json's version fails before anything is published", async () => {
  const r = await release("v9.9.9");
  assertEquals(r.test.result, "failure");
  assertEquals(r.job.result, "skipped", "the release job never starts");
  const check = r.test.steps.find((s) => s.name === "Check the tag is deno.json's version")!;
  assertEquals(check.outcome, "failure");
  assertMatch(
    check.log,
    new RegExp(
      `^::error::The tag v9\\.9\\.9 is not deno\\.json's version \\(${VERSION}\\)`,
      "m",
    ),
  );
  assertEquals(/deno (task|publish)|gh /.test(r.log), false, r.log);
  assertEquals(r.tags, { "v9.9.9": SHA });
});

Deno.test("ci: the README's test command and the demo, on Linux and macOS", async () => {
  const dir = await shims();
  try {
    const result = await runWorkflow({
      workflow: await Deno.readTextFile(`${ROOT}/.github/workflows/ci.yml`),
      toolDir: ROOT,
      checkout: ROOT,
      shims: dir,
      github: {
        event_name: "pull_request",
        event: {},
        sha: SHA,
        repository: "org/wandb-report",
      },
      inputs: {},
      secrets: {},
      env: { SHIM_DIR: dir, REAL_DENO: Deno.execPath() },
    });
    assertEquals(Object.keys(result.jobs), [
      "test (ubuntu-latest)",
      "test (macos-latest)",
    ]);
    for (const job of Object.values(result.jobs)) {
      assertEquals(job.result, "success");
    }
    const calls = (await Deno.readTextFile(`${dir}/log`)).trim().split("\n");
    assertEquals(calls, [
      "deno task test|oidc=",
      "deno task demo|oidc=",
      "deno task test|oidc=",
      "deno task demo|oidc=",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
