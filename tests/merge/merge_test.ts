// One report for a matrix of legs: the merged verdict, the legs that disagree
// or are missing, GitHub's comment limit at any number of legs, bad input.
import { legJson, writeLegs } from "../_legs.ts";
import { runMergeCli } from "../../lib/cli/mod.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";

async function merge(args: string[], env: Record<string, string> = {}) {
  const dir = await Deno.makeTempDir();
  const output = `${dir}/output`;
  await Deno.writeTextFile(output, "");
  let stdout = "";
  let stderr = "";
  const code = await runMergeCli([...args, "--markdown", `${dir}/merged.md`], {
    env: { GITHUB_OUTPUT: output, ...env },
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  // The markdown as a reader sees it: escapes taken out.
  const md = (await Deno.readTextFile(`${dir}/merged.md`).catch(() => undefined))
    ?.replace(/\\([\\`*_{}[\]()#+\-.!|~:$])/g, "$1");
  const outputs = Object.fromEntries(
    (await Deno.readTextFile(output)).split("\n").filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  await Deno.remove(dir, { recursive: true });
  return { code, stdout, stderr, md, outputs };
}

Deno.test("merge: one failing leg fails the merge and is named with its worst rule; counts summed", async () => {
  const dir = await writeLegs([
    legJson({ key: "tasks/vision" }),
    legJson({ key: "tasks/ner", failing: 2 }),
    legJson({ key: "tasks/audio" }),
  ]);
  try {
    const r = await merge(["--reports", dir, "--json"]);
    assertEquals(r.code, 1, r.stderr);
    assertEquals([r.outputs.GATE_PASSED, r.outputs.GATE_VERDICT], ["False", "failed"]);
    assertEquals([r.outputs.NUM_LEGS, r.outputs.NUM_FINISHED, r.outputs.NUM_CANDIDATES], [
      "3",
      "9",
      "9",
    ]);
    assertStringIncludes(r.md!, "❌ **Gate failed**: 1 of 3 legs failed (tasks/ner).");
    // The failing leg's row comes first, with its worst rule (the larger regression).
    const rows = r.md!.split("\n").filter((l) => l.startsWith("| tasks"));
    assertMatch(
      rows[0]!,
      /^\| tasks\/ner \| 3\/3 \| ❌ failed \| acc:max:abs=0\.02: worse by 0\.11 \|$/,
    );
    // Its section is open; the others folded.
    assertStringIncludes(r.md!, "<details open><summary>❌ tasks/ner");
    assertStringIncludes(r.md!, "<details><summary>✅ tasks/audio");
    const doc = JSON.parse(r.stdout);
    assertEquals([doc.verdict, doc.legs.length, doc.legs[0].name], ["failed", 3, "tasks/ner"]);
    assertMatch(r.stderr, /^gate: leg tasks\/ner failed: acc regressed in c1/m);
    // All passing: exit 0.
    const ok = await merge([
      "--reports",
      `${dir}/leg-000.json`,
      "--reports",
      `${dir}/leg-002.json`,
    ]);
    assertEquals([ok.code, ok.outputs.GATE_VERDICT], [0, "passed"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("merge: legs that disagree are said and fail the gate unless told otherwise", async () => {
  const dir = await writeLegs([
    legJson({ key: "tasks/vision" }),
    legJson({ key: "tasks/vision" }), // the same leg twice
    legJson({ key: "tasks/old", version: null }), // before version 1
    legJson({ key: "tasks/new", version: 2 }),
  ]);
  try {
    const r = await merge(["--reports", dir, "--expect", "tasks/vision, tasks/ner"]);
    assertEquals(r.code, 1, r.stderr);
    assertStringIncludes(r.md!, "1 of 2 legs reported; tasks/ner failed before reporting");
    assertMatch(r.md!, /leg tasks\/vision reported twice \(.*leg-000\.json, .*leg-001\.json\)/);
    assertMatch(r.md!, /leg-002\.json is a report of JSON version before 1/);
    assertMatch(r.md!, /leg-003\.json is a report of JSON version 2/);
    assertMatch(r.md!, /\| tasks\/ner \| — \| ❌ failed before reporting \| — \|/);
    assertEquals(r.outputs.BOOL_COMPLETE, "False");
    const allowed = await merge([
      "--reports",
      dir,
      "--expect",
      "tasks/vision, tasks/ner",
      "--allow-incomplete",
    ]);
    assertEquals([allowed.code, allowed.outputs.GATE_PASSED], [0, "True"]);
    // Without a list, the matrix job's own result says a leg may be missing.
    const result = await merge(["--reports", `${dir}/leg-000.json`, "--legs-result", "failure"]);
    assertEquals(result.code, 1);
    assertStringIncludes(
      result.md!,
      "the matrix job ended failure: a leg may have failed before reporting",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("merge: 50 legs fit one comment, naming every failing leg and its worst rule", async () => {
  const legs = Array.from(
    { length: 50 },
    (_, i) =>
      legJson({
        key: `tasks/leg-${String(i).padStart(2, "0")}`,
        runs: 200,
        failing: i % 3 === 0 ? 3 : 0,
      }),
  );
  const dir = await writeLegs(legs);
  try {
    const r = await merge(["--reports", dir]);
    assertEquals(r.code, 1);
    assert(
      r.md!.length < 65_536 && new TextEncoder().encode(r.md!).length <= 60_000,
      String(r.md!.length),
    );
    for (const [i] of legs.entries()) {
      if (i % 3 !== 0) continue;
      const name = `tasks/leg-${String(i).padStart(2, "0")}`;
      assertMatch(
        r.md!,
        new RegExp(
          `^\\| ${
            name.replace("/", "\\/")
          } \\| 100/100 \\| ❌ failed \\| acc:max:abs=0\\.03: worse by 0\\.12 \\|$`,
          "m",
        ),
      );
    }
    assertEquals(r.outputs.NUM_LEGS, "50");
    // Every section fits here (the clipped case: the test of 400 legs below).
    assertEquals((r.md!.match(/<details/g) ?? []).length, 50);
    assert(!r.md!.includes("not shown here"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("merge: bad input is one line naming the file, exit 2, nothing written or posted", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/not.json`, "{ not json");
    await Deno.writeTextFile(`${dir}/other.json`, JSON.stringify({ hello: "world" }));
    await Deno.mkdir(`${dir}/empty`);
    const a = await Deno.makeTempDir();
    await Deno.writeTextFile(`${a}/a.json`, JSON.stringify(legJson({ key: "a" })));
    await Deno.writeTextFile(
      `${a}/b.json`,
      JSON.stringify(legJson({ key: "b", sha: "f".repeat(40) })),
    );
    const cases: [string[], RegExp][] = [
      [
        ["--reports", `${dir}/not.json`],
        /--reports: expected a report's JSON .*got ".*not\.json" \(not JSON\)/,
      ],
      [["--reports", `${dir}/other.json`], /--reports: expected a report's JSON .*other\.json/],
      [["--reports", `${dir}/empty`], /--reports: expected at least one report's JSON/],
      [
        ["--reports", `${dir}/missing`],
        /--reports: expected report files or folders, got ".*missing" \(NotFound\)/,
      ],
      [["--reports", a], /--reports: expected reports of one commit .*b\.json" \(of f{40}\)/],
      [[], /--reports: expected the legs' JSON reports/],
      [
        ["--reports", a, "--legs-result", "maybe"],
        /--legs-result: expected success, failure, cancelled or skipped/,
      ],
      [["--reports", a, "--comment"], /a pull request for --comment/],
    ];
    for (const [args, want] of cases) {
      const r = await merge(args, { GITHUB_ACTIONS: "true" });
      assertEquals(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      const lines = r.stderr.trim().split("\n").filter((l) => !l.startsWith("::add-mask::"));
      assertEquals(lines.length, 1, r.stderr);
      assertMatch(lines[0]!, want);
      assertEquals(r.md, undefined, "nothing written");
      assertEquals(Object.keys(r.outputs), [], "no outputs");
    }
    await Deno.remove(a, { recursive: true });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("merge: report paths after the flags (a shell glob: legs/*.json) are legs too", async () => {
  const dir = await writeLegs([legJson({ key: "tasks/vision" }), legJson({ key: "tasks/ner" })]);
  try {
    const r = await merge([`${dir}/leg-000.json`, `${dir}/leg-001.json`, "--json"]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.outputs.NUM_LEGS, "2");
    // Beside --reports too, in the order given.
    const mixed = await merge(["--reports", `${dir}/leg-000.json`, `${dir}/leg-001.json`]);
    assertEquals(mixed.outputs.NUM_LEGS_REPORTED, "2", mixed.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("merge: a leg that waits for training makes the merged report pending, never failed", async () => {
  const waiting = legJson({ key: "tasks/ner" }) as {
    gate: Record<string, unknown>;
  };
  waiting.gate = { ...waiting.gate, verdict: "pending", passed: true, verdicts: [] };
  const dir = await writeLegs([legJson({ key: "tasks/vision" }), waiting]);
  try {
    const r = await merge(["--reports", dir]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals([r.outputs.GATE_VERDICT, r.outputs.STATUS_STATE], ["pending", "pending"]);
    assertMatch(r.outputs.STATUS_DESCRIPTION!, /^waiting for training: tasks\/ner \(2 legs\)$/);
    assertMatch(r.md!, /⏳ \*\*Waiting for training\*\*: 1 of 2 legs have no finished run yet/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("merge: a status only for a commit's runs on the PR head: none from a run-id leg, none on a comment without the head", async () => {
  const { env, withGithub } = await import("../_pr.ts");
  const sha = "3f2c9a1b7d4e5f60718293a4b5c6d7e8f9012345";
  const byRun = legJson({ key: "tasks/ner", sha }) as { match: Record<string, unknown> };
  byRun.match = { by: "run-id", runId: "hand-picked" };
  const runDir = await writeLegs([legJson({ key: "tasks/vision", sha }), byRun]);
  const shaDir = await writeLegs([legJson({ key: "tasks/vision", sha })]);
  try {
    await withGithub(async (server) => {
      const one = await merge(["--reports", runDir, "--status"], env(server));
      assertEquals(one.code, 0, one.stderr);
      assertMatch(one.stderr, /no commit status: leg tasks\/ner judged one run \(--run-id\)/);
      // On a PR comment, the legs' commit may be another (/get-runs sha=OTHER): no head, no status.
      const comment = await merge(["--reports", shaDir, "--status"], {
        ...env(server),
        GITHUB_EVENT_NAME: "issue_comment",
      });
      assertMatch(comment.stderr, /no commit status: on a PR comment/);
      assertEquals(server.statuses, []);
      // With the head it names, the status goes on it.
      const headed = await merge(["--reports", shaDir, "--status"], {
        ...env(server),
        GITHUB_EVENT_NAME: "issue_comment",
        INPUT_PR_HEAD_SHA: sha,
      });
      assertEquals(headed.code, 0, headed.stderr);
      assertEquals(server.statuses.map((s) => [s.sha, s.state]), [[sha, "success"]]);
    });
  } finally {
    await Deno.remove(runDir, { recursive: true });
    await Deno.remove(shaDir, { recursive: true });
  }
});

Deno.test("merge: an inconclusive leg's words: named in the status, fail in the state line when it blocks, 'better by' for a better value", async () => {
  const unsure = legJson({ key: "tasks/ner", inconclusive: true });
  const dir = await writeLegs([legJson({ key: "tasks/vision" }), unsure]);
  // Its report said --on-inconclusive fail.
  const blockingLeg = legJson({ key: "tasks/ner", inconclusive: true, blocking: true });
  const blockDir = await writeLegs([legJson({ key: "tasks/vision" }), blockingLeg]);
  try {
    const counted = await merge(["--reports", dir]);
    assertEquals(counted.code, 0, counted.stderr);
    assertEquals(
      counted.outputs.STATUS_DESCRIPTION,
      "gate inconclusive: tasks/ner (2 legs)",
    );
    const blocking = await merge(["--reports", blockDir]);
    assertEquals(blocking.code, 1);
    assertEquals(blocking.outputs.STATUS_STATE, "failure");
    // The comment's state line agrees with the status, so comment-mode failures posts it.
    assertMatch(blocking.md!, /^<!-- wandb-report verdict=fail digest=/m);
    assertMatch(blocking.stderr, /gate inconclusive \(counted as a failure\)/);
    assert(!blocking.stderr.includes("(FAILED)"));
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(blockDir, { recursive: true });
  }
});

Deno.test("merge: a leg's worst rule on a better value says 'better by', never 'worse by -0.01'", async () => {
  const better = legJson({ key: "tasks/ner", failing: 1 }) as {
    gate: { verdicts: Record<string, unknown>[] };
  };
  const failing = better.gate.verdicts.find((v) => v.failed)!;
  failing.worse = -0.01;
  const dir = await writeLegs([better]);
  try {
    const r = await merge(["--reports", dir]);
    assertMatch(r.md!, /better by 0.01/);
    assert(!/worse by -/.test(r.md!));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

type LegDoc = {
  gate: { passed: boolean; verdict?: string; verdicts: Record<string, unknown>[] };
};

Deno.test("merge: a leg whose verdict contradicts its rules is refused, named, and fails the merge", async () => {
  // Its rules failed, yet its gate says passed: never merged as ✅.
  const forged = legJson({ key: "tasks/ner", failing: 1 }) as LegDoc;
  forged.gate.passed = true;
  forged.gate.verdict = "passed";
  // A rule whose status and flag disagree.
  const odd = legJson({ key: "tasks/audio" }) as LegDoc;
  odd.gate.verdicts[0]!.failed = true;
  const dir = await writeLegs([legJson({ key: "tasks/vision" }), forged, odd]);
  try {
    const r = await merge(["--reports", dir, "--expect", "tasks/vision,tasks/ner,tasks/audio"]);
    assertEquals(r.code, 1, r.stderr);
    assertEquals(
      [r.outputs.GATE_PASSED, r.outputs.GATE_VERDICT, r.outputs.NUM_LEGS, r.outputs.STATUS_STATE],
      ["False", "failed", "3", "failure"],
    );
    assertMatch(
      r.md!,
      /^\| tasks\/ner \| — \| ❌ refused: contradicts itself \| gate\.passed is true but rule acc:max:abs=0\.01 failed \|$/m,
    );
    assertMatch(
      r.md!,
      /^\| tasks\/audio \| — \| ❌ refused: contradicts itself \| rule loss:min:rel=5% has status pass but failed=true \|$/m,
    );
    assert(!/\| tasks\/ner \| 3\/3 \| ✅/.test(r.md!), "the forged leg is not merged as passed");
    assertStringIncludes(r.md!, "2 of 3 legs failed (tasks/ner, tasks/audio)");
    assertMatch(r.stderr, /leg-001\.json \(leg tasks\/ner\) contradicts itself/);
    assertStringIncludes(r.outputs.STATUS_DESCRIPTION!, "tasks/ner, tasks/audio");
    // Refused even when missing legs are allowed: a verdict is never taken on trust.
    const allowed = await merge(["--reports", dir, "--allow-incomplete"]);
    assertEquals([allowed.code, allowed.outputs.GATE_VERDICT], [1, "failed"]);
    // A leg whose declared verdict word disagrees with its rules.
    const word = legJson({ key: "tasks/ner", inconclusive: true }) as LegDoc;
    word.gate.verdict = "passed";
    const wordDir = await writeLegs([word]);
    try {
      const w = await merge(["--reports", wordDir]);
      assertEquals(w.code, 1);
      assertStringIncludes(w.md!, "its verdict is passed but its rules say inconclusive");
    } finally {
      await Deno.remove(wordDir, { recursive: true });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("merge: a leg's text cells are escaped; only numbers are formatted as numbers", async () => {
  const leg = legJson({ key: "tasks/ner", failing: 1 }) as LegDoc;
  leg.gate.verdicts[0]!.value = "<img src=x onerror=alert(1)>";
  leg.gate.verdicts[0]!.reference = "[click](https://evil.example) | x";
  const dir = await writeLegs([leg]);
  try {
    const { code } = await merge(["--reports", dir]);
    assertEquals(code, 1);
    const out = await Deno.makeTempDir();
    try {
      await runMergeCli(["--reports", dir, "--markdown", `${out}/m.md`], {
        env: {},
        stdout: () => {},
        stderr: () => {},
      });
      const raw = await Deno.readTextFile(`${out}/m.md`);
      assert(!raw.includes("<img"), "no raw HTML");
      assert(!raw.includes("](https"), "no link");
      const row = raw.split("\n").find((l) => l.includes("onerror"))!;
      // Five cells: the pipe in the reference did not add a column.
      assertEquals(row.split(/(?<!\\)\|/).length, 7, row);
      assertStringIncludes(row, "&lt;img src=x onerror=alert\\(1\\)&gt;");
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("merge: every leg missing is still a report: failed, naming the legs, commented and on the head's status", async () => {
  const { env, withGithub } = await import("../_pr.ts");
  const { SHA } = await import("../_helpers.ts");
  const dir = await Deno.makeTempDir();
  try {
    await withGithub(async (server) => {
      const pr = { ...env(server), INPUT_PR_NUMBER: "7", INPUT_PR_HEAD_SHA: SHA };
      // The download step found no artifact: the folder is not even there.
      const r = await merge(
        [
          "--reports",
          `${dir}/absent`,
          "--expect",
          "tasks/vision,tasks/ner",
          "--comment",
          "--status",
        ],
        pr,
      );
      assertEquals(r.code, 1, r.stderr);
      assertEquals(
        [r.outputs.GATE_VERDICT, r.outputs.NUM_LEGS, r.outputs.NUM_LEGS_REPORTED, r.outputs.SHA],
        ["failed", "2", "0", SHA],
      );
      assertStringIncludes(
        r.md!,
        "❌ **Gate failed**: 2 of 2 legs failed before reporting (tasks/vision, tasks/ner).",
      );
      assertMatch(r.md!, /^\| tasks\/ner \| — \| ❌ failed before reporting \| — \|$/m);
      assertEquals(server.comments.length, 1);
      assertStringIncludes(server.comments[0]!.body, "failed before reporting");
      assertEquals(server.statuses.map((s) => [s.sha, s.state, s.description]), [
        [SHA, "failure", "gate failed: tasks/vision, tasks/ner (2 legs)"],
      ]);
      // An empty folder and a matrix that failed, nothing expected by name: failed, said why.
      await Deno.mkdir(`${dir}/empty`);
      const failed = await merge(["--reports", `${dir}/empty`, "--legs-result", "failure"]);
      assertEquals([failed.code, failed.outputs.GATE_VERDICT], [1, "failed"], failed.stderr);
      assertStringIncludes(failed.md!, "❌ **Gate failed**: no leg reported.");
      // Allowing missing legs never makes no leg a pass.
      const allowed = await merge([
        "--reports",
        `${dir}/empty`,
        "--legs-result",
        "cancelled",
        "--allow-incomplete",
      ]);
      assertEquals([allowed.code, allowed.outputs.GATE_PASSED], [1, "False"]);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("merge: 400 failing legs with long keys: whole rows only, the rest counted, sections in the legs' order", async () => {
  const key = (i: number) => `team-${"x".repeat(90)}/leg-${String(i).padStart(3, "0")}`;
  const legs = Array.from({ length: 400 }, (_, i) => legJson({ key: key(i), failing: 2 }));
  const dir = await writeLegs(legs);
  try {
    const r = await merge(["--reports", dir]);
    assertEquals(r.code, 1, r.stderr);
    assert(new TextEncoder().encode(r.md!).length <= 60_000, "within the comment's budget");
    const lines = r.md!.split("\n");
    // Every leg's row is whole: it ends its last cell.
    const rows = lines.filter((l) => l.startsWith("| team-"));
    for (const row of rows) {
      assertMatch(
        row,
        /^\| team-x+…x+\/leg-\d{3} \| 3\/3 \| ❌ failed \| acc:max:abs=0\.02: worse by 0\.11 \|$/,
      );
    }
    assert(rows.length > 0 && rows.length < 400, String(rows.length));
    // Long keys keep their ends, where legs differ: every row names another leg.
    assertEquals(new Set(rows.map((row) => row.split(" | ")[0])).size, rows.length);
    // The rows shown and the rows counted make every leg, and say how many of the rest failed.
    const more = r.md!.match(/^\| … (\d+) more legs \((\d+) failed\) \| \| not shown here/m);
    assert(more, "the rest counted");
    assertEquals([rows.length + Number(more[1]), more[2]], [400, more[1]]);
    // The verdict names the first legs and counts the rest, not 400 names.
    assertMatch(r.md!, /400 of 400 legs failed \(.*, and 380 more\)\./);
    // Sections shown are the first legs in the rows' order, none skipped, the rest counted.
    const sections = [...r.md!.matchAll(/<details open><summary>❌ (team-\S+)/g)].map((m) => m[1]);
    const order = rows.map((row) => row.split(" | ")[0]!.slice(2));
    assertEquals(sections, order.slice(0, sections.length));
    const notShown = r.md!.match(/_(\d+) more legs not shown here/);
    assertEquals(sections.length + Number(notShown?.[1] ?? 0), 400);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("merge: rows rank failed, waiting, inconclusive, passed; a matrix that did not succeed is never complete", async () => {
  const waiting = legJson({ key: "d-waits" }) as { gate: Record<string, unknown> };
  waiting.gate = { ...waiting.gate, verdict: "pending", passed: true, verdicts: [] };
  const dir = await writeLegs([
    legJson({ key: "a-passes" }),
    legJson({ key: "b-unsure", inconclusive: true }),
    legJson({ key: "c-fails", failing: 1 }),
    waiting,
  ]);
  const clean = await writeLegs([legJson({ key: "a-passes" }), legJson({ key: "e-passes" })]);
  try {
    const r = await merge(["--reports", dir]);
    const order = r.md!.split("\n").filter((l) => /^\| [a-e]-/.test(l)).map((l) => l.split(" ")[1]);
    assertEquals(order, ["c-fails", "d-waits", "b-unsure", "a-passes"]);
    // Every leg reported and passed, but the matrix was cancelled: a leg may never have started.
    for (const result of ["cancelled", "failure"]) {
      const cut = await merge(["--reports", clean, "--legs-result", result]);
      assertEquals([cut.code, cut.outputs.BOOL_COMPLETE, cut.outputs.GATE_VERDICT], [
        1,
        "False",
        "failed",
      ]);
      const allowed = await merge([
        "--reports",
        clean,
        "--legs-result",
        result,
        "--allow-incomplete",
      ]);
      assertEquals([allowed.code, allowed.outputs.BOOL_COMPLETE], [0, "False"], result);
    }
    const done = await merge(["--reports", clean, "--legs-result", "success"]);
    assertEquals([done.code, done.outputs.BOOL_COMPLETE], [0, "True"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(clean, { recursive: true });
  }
});

Deno.test("merge: no status on a head the legs did not judge; comment-mode applies to the merged comment", async () => {
  const { env, withGithub } = await import("../_pr.ts");
  const { SHA } = await import("../_helpers.ts");
  const passing = await writeLegs([legJson({ key: "tasks/vision", sha: SHA })]);
  const failing = await writeLegs([legJson({ key: "tasks/vision", sha: SHA, failing: 1 })]);
  try {
    await withGithub(async (server) => {
      const other = "9".repeat(40);
      const moved = await merge(["--reports", passing, "--status"], {
        ...env(server),
        INPUT_PR_HEAD_SHA: other,
      });
      assertEquals(moved.code, 0, moved.stderr);
      assertMatch(
        moved.stderr,
        new RegExp(`no commit status: the legs report on ${SHA}, not the PR's head ${other}`),
      );
      assertEquals(server.statuses, []);
      // comment-mode failures: a passing merge posts nothing, a failing one posts.
      const pr = { ...env(server), INPUT_PR_NUMBER: "7", INPUT_COMMENT_MODE: "failures" };
      const quiet = await merge(["--reports", passing, "--comment"], pr);
      assertEquals([quiet.code, server.comments.length], [0, 0], quiet.stderr);
      const loud = await merge(["--reports", failing, "--comment"], pr);
      assertEquals([loud.code, server.comments.length], [1, 1], loud.stderr);
      assertStringIncludes(server.comments[0]!.body, "❌ **Gate failed**");
    });
  } finally {
    await Deno.remove(passing, { recursive: true });
    await Deno.remove(failing, { recursive: true });
  }
});

Deno.test("merge: with --expect, another matrix's legs in the folder are left out and said; keys that share an artifact name are refused", async () => {
  const dir = await writeLegs([
    legJson({ key: "vision/a" }),
    legJson({ key: "vision/b" }),
    // Another matrix in the same caller run, even of another commit, downloaded by the same pattern.
    legJson({ key: "nlp/a", sha: "f".repeat(40), failing: 1 }),
  ]);
  try {
    const r = await merge(["--reports", dir, "--expect", "vision/a, vision/b", "--json"]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals([r.outputs.NUM_LEGS, r.outputs.GATE_VERDICT], ["2", "passed"]);
    assertMatch(r.stderr, /leg-002\.json \(leg nlp\/a\) is not among --expect: left out/);
    assert(!r.md!.includes("nlp/a"), "another merge's leg is not in this comment");
    // Two keys that travel under one artifact name: one would replace the other's upload.
    const clash = await merge(["--reports", dir, "--expect", "vision/a, vision-a"]);
    assertEquals(clash.code, 2);
    assertEquals(clash.stderr.trim().split("\n").length, 1, clash.stderr);
    assertMatch(
      clash.stderr,
      /--expect: expected report keys that stay apart as artifact names .*got "vision\/a and vision-a" \(both travel as wandb-report-leg-vision-a/,
    );
    assertEquals(clash.md, undefined, "nothing written");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("merge: with --legs GLOB and no --expect, a merge reads only its own matrix's legs; none of them is a failed report", async () => {
  const dir = await writeLegs([
    legJson({ key: "vision/a" }),
    legJson({ key: "vision/b" }),
    // Another matrix of the same caller run: failing, and of another commit.
    legJson({ key: "nlp/a", sha: "f".repeat(40), failing: 1 }),
    legJson({ key: "vision-extra" }),
  ]);
  try {
    const r = await merge(["--reports", dir, "--legs", "vision/*"]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals([r.outputs.NUM_LEGS, r.outputs.GATE_VERDICT], ["2", "passed"]);
    assertMatch(
      r.stderr,
      /leg-002\.json \(leg nlp\/a\) does not match --legs vision\/\*: left out/,
    );
    assertMatch(r.stderr, /\(leg vision-extra\) does not match --legs vision\/\*/);
    assert(!r.md!.includes("nlp/a") && !r.md!.includes("vision-extra"), r.md);
    // The other merge, from the workflow's input, sees its own failing leg only.
    const nlp = await merge(["--reports", dir], { INPUT_LEGS: "{nlp,audio}/*" });
    assertEquals([nlp.code, nlp.outputs.NUM_LEGS, nlp.outputs.GATE_VERDICT], [1, "1", "failed"]);
    // A glob that takes no leg: a failed report saying so, never a pass.
    const none = await merge(["--reports", dir, "--legs", "audio/*"]);
    assertEquals([none.code, none.outputs.GATE_VERDICT], [1, "failed"], none.stderr);
    assertMatch(none.stderr, /no leg reported/);
    // An expected leg the glob cannot take is refused: one line, nothing written.
    const outside = await merge([
      "--reports",
      dir,
      "--legs",
      "vision/*",
      "--expect",
      "vision/a, nlp/a",
    ]);
    assertEquals(outside.code, 2);
    assertEquals(outside.stderr.trim().split("\n").length, 1, outside.stderr);
    assertMatch(
      outside.stderr,
      /--expect: expected legs that --legs vision\/\* takes, got "nlp\/a" \(so it could never be read/,
    );
    assertEquals(outside.md, undefined, "nothing written");
    const empty = await merge(["--reports", dir, "--legs", " "]);
    assertEquals(empty.code, 2);
    assertMatch(empty.stderr, /--legs: expected a glob over the legs' report keys/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
