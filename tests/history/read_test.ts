// lib/history/read.ts as a unit: which history is read. A folder that is no
// checkout hands the walk to GitHub's API (a fake source here, recording what
// it was asked); with no API either, one input error names what is missing.
import { assertEquals, assertRejects } from "../_assert.ts";
import { withTempDir } from "../_helpers.ts";
import { InvalidInputError } from "../../lib/ground/errors.ts";
import { readChain, readMergeBase } from "../../lib/history/read.ts";
import type { Chain, HistorySource } from "../../lib/history/source.ts";

const HEAD = "ab".repeat(20);
const BASE = "cd".repeat(20);

function fakeGitHub(chain: Chain): { source: () => HistorySource; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    source: () => ({
      name: "GitHub's API (acme/vision)",
      firstParents: (sha, count) => {
        asked.push(`firstParents ${sha} ${count}`);
        return Promise.resolve(chain);
      },
      mergeBase: (base, head) => {
        asked.push(`mergeBase ${base} ${head}`);
        return Promise.resolve(BASE);
      },
    }),
  };
}

/** A folder that is no git checkout. */
const withFolder = (fn: (cwd: string) => Promise<void>) => withTempDir("wandb-no-checkout-", fn);

Deno.test("readChain: no checkout here, so GitHub's API, with its note", async () => {
  await withFolder(async (cwd) => {
    const github = fakeGitHub({ commits: [{ sha: HEAD }], note: "GitHub holds no more" });
    const read = await readChain(HEAD, 51, {
      cwd,
      github: github.source,
      input: "--baseline-search",
    });
    assertEquals(read, {
      commits: [{ sha: HEAD }],
      note: "GitHub holds no more",
      source: "GitHub's API (acme/vision)",
      notes: ["GitHub holds no more"],
    });
    assertEquals(github.asked, [`firstParents ${HEAD} 51`]);
  });
});

Deno.test("readChain and readMergeBase: no checkout and no API is one input error naming the input and why", async () => {
  await withFolder(async (cwd) => {
    const error = await assertRejects(
      () => readChain(HEAD, 10, { cwd, input: "--trend" }),
      InvalidInputError,
    );
    assertEquals(error.message.startsWith("--trend: expected a commit history to read"), true);
    assertEquals(error.message.includes(`${cwd} is not a git checkout`), true, error.message);
    await assertRejects(
      () => readMergeBase(BASE, HEAD, { cwd, input: "--merge-base" }),
      InvalidInputError,
      "--merge-base: expected a commit history to read",
    );
  });
});

Deno.test("readChain: a branch name is said as the cause, naming the input that gave the commit; nothing is asked", async () => {
  await withFolder(async (cwd) => {
    const github = fakeGitHub({ commits: [] });
    await assertRejects(
      () =>
        readChain("main", 10, {
          cwd,
          github: github.source,
          input: "--baseline-search",
          commitInput: "--baseline-sha",
        }),
      InvalidInputError,
      "--baseline-sha: expected a hexadecimal commit SHA to read the history from",
    );
    assertEquals(github.asked, []);
  });
});

Deno.test("readMergeBase: no checkout here, so GitHub's compare", async () => {
  await withFolder(async (cwd) => {
    const github = fakeGitHub({ commits: [] });
    const found = await readMergeBase(BASE, HEAD, {
      cwd,
      github: github.source,
      input: "--merge-base",
    });
    assertEquals(found, { sha: BASE, source: "GitHub's API (acme/vision)" });
    assertEquals(github.asked, [`mergeBase ${BASE} ${HEAD}`]);
  });
});
