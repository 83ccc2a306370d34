// lib/cli/runner.ts as a unit: the files the Actions runner hands a step are
// checked before anything is written (a missing folder, a folder, a bad
// repository or GitHub URL is one input error naming the variable), and the
// outputs appended there are redacted.
import { checkAppendable, checkDestinations, writeOutputs } from "../../lib/cli/runner.ts";
import { InvalidInputError } from "../../lib/ground/errors.ts";
import { Redactor } from "../../lib/ground/redact.ts";
import { Printer } from "../../lib/output.ts";
import { assertEquals, assertMatch, assertRejects } from "../_assert.ts";
import { withTempDir } from "../_helpers.ts";

const inTemp = (fn: (dir: string) => Promise<void>) => withTempDir("wandb-runner-files-", fn);

Deno.test("runner files: a file to append to may be new in an existing folder, not in a missing one, and never a folder", async () => {
  await inTemp(async (dir) => {
    await checkAppendable("GITHUB_OUTPUT", `${dir}/new`);
    await Deno.writeTextFile(`${dir}/there`, "x=1\n");
    await checkAppendable("GITHUB_OUTPUT", `${dir}/there`);
    await checkAppendable("GITHUB_OUTPUT", undefined);
    const missing = await assertRejects(
      () => checkAppendable("GITHUB_OUTPUT", `${dir}/gone/out`),
      InvalidInputError,
    );
    assertMatch(
      missing.message,
      /^GITHUB_OUTPUT: expected a file this step may append to, got ".*\/gone\/out" \(no such file or directory\)$/,
    );
    const folder = await assertRejects(
      () => checkAppendable("GITHUB_STEP_SUMMARY", dir),
      InvalidInputError,
    );
    assertMatch(folder.message, /^GITHUB_STEP_SUMMARY: .*\(not a regular file\)$/);
    // Nothing was created by checking.
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["there"]);
  });
});

Deno.test("runner files: GitHub's destinations are checked before anything is sent", async () => {
  const io = (env: Record<string, string>) => ({ env, stdout: () => {}, stderr: () => {} });
  await checkDestinations(io({}), false);
  await checkDestinations(io({ GITHUB_REPOSITORY: "acme/vision" }), true);
  const repo = await assertRejects(
    () => checkDestinations(io({ GITHUB_REPOSITORY: "acme" }), true),
    InvalidInputError,
  );
  assertMatch(repo.message, /^GITHUB_REPOSITORY: expected owner\/repository/);
  const url = await assertRejects(
    () =>
      checkDestinations(io({ GITHUB_REPOSITORY: "acme/vision", GITHUB_API_URL: "ftp://x" }), true),
    InvalidInputError,
  );
  assertMatch(url.message, /^GITHUB_API_URL: /);
  // Without GitHub, a repository is not asked for.
  await checkDestinations(io({ GITHUB_REPOSITORY: "acme" }), false);
});

Deno.test("runner files: outputs are appended redacted, a multi-line value under a delimiter", async () => {
  await inTemp(async (dir) => {
    const path = `${dir}/output`;
    await Deno.writeTextFile(path, "EARLIER=1\n");
    const redactor = new Redactor();
    redactor.register("wb-secret-7Hq2Lx9Pz4Kc1Vb8");
    const io = { env: { GITHUB_OUTPUT: path }, stdout: () => {}, stderr: () => {} };
    await writeOutputs(io, new Printer(io, redactor), {
      NUM_CANDIDATES: "3",
      NOTE: "key wb-secret-7Hq2Lx9Pz4Kc1Vb8 refused\nsecond line",
    });
    const text = await Deno.readTextFile(path);
    assertEquals(text.startsWith("EARLIER=1\nNUM_CANDIDATES=3\n"), true, text);
    assertEquals(text.includes("wb-secret"), false);
    assertMatch(text, /\nNOTE<<(\S+)\nkey \*\*\* refused\nsecond line\n\1\n$/);
  });
});
