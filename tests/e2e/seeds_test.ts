// Seeds and sweeps end to end: the CLI against the emulator, the verdict
// read back from the exit code, the JSON and the markdown, which must agree.
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import { OTHER_SHA, PROJECT, run, runCli, SHA, withEmulator } from "../_helpers.ts";
import type { FixtureInput } from "../../lib/emulator/fixtures.ts";
import { API_KEY } from "../_helpers.ts";

function project(runs: ReturnType<typeof run>[]): FixtureInput {
  return { apiKeys: [API_KEY], projects: [{ entity: "acme", name: "vision", runs }] };
}

Deno.test("a killed base run is shown but not averaged into the reference (--baseline-sha, --reference mean)", async () => {
  const fixture = project([
    run("base0001", "finished", { sha: OTHER_SHA, metrics: { accuracy: 0.9 } }),
    run("base0002", "finished", { sha: OTHER_SHA, metrics: { accuracy: 0.892 } }),
    run("base0003", "killed", { sha: OTHER_SHA, metrics: { accuracy: 0.70 } }),
    run("seed0001", "finished", { sha: SHA, metrics: { accuracy: 0.897 } }),
  ]);
  await withEmulator({ fixture }, async (emulator) => {
    const args = [...PROJECT, "--sha", SHA, "--baseline-sha", OTHER_SHA, "--reference", "mean"];
    const json = await runCli(emulator, [...args, "--metrics", "accuracy", "--json"]);
    assertEquals(json.code, 0, json.stderr);
    const [accuracy] = JSON.parse(json.stdout).comparisons;
    assertEquals(accuracy.reference.value, 0.896);
    assertEquals(accuracy.stats.baselines.n, 2);
    assertEquals(accuracy.baselines.map((b: { used: boolean }) => b.used), [true, true, false]);
    const md = await runCli(emulator, [...args, "--metrics", "accuracy", "--format", "markdown"]);
    assertMatch(md.stdout, /\| baseline \| killed \(not used\) \| 0\.7 \|/);
    assertMatch(
      md.stdout,
      /\| _baselines: mean ± sd_ \| baseline \| finished \| 0\.8960 ± 0\.0057 \(n=2\) \|/,
    );
  });
});

Deno.test("seeds judged by their mean beyond the noise: exit code, JSON and markdown agree", async () => {
  const fixture = project([
    ...[0.92, 0.921, 0.919].map((a, i) =>
      run(`base000${i}`, "finished", { tags: ["baseline"], metrics: { accuracy: a } })
    ),
    ...[0.9, 0.901, 0.899].map((a, i) =>
      run(`seed000${i}`, "finished", { sha: SHA, metrics: { accuracy: a } })
    ),
  ]);
  await withEmulator({ fixture }, async (emulator) => {
    const args = [
      ...PROJECT,
      "--sha",
      SHA,
      "--baseline-tags",
      "baseline",
      "--reference",
      "mean",
      "--gate",
      "accuracy:max:abs=0.01:noise=2",
    ];
    const json = await runCli(emulator, [...args, "--json"]);
    assertEquals(json.code, 1, json.stderr);
    const { gate } = JSON.parse(json.stdout);
    assertEquals(gate.passed, false);
    assertEquals(gate.verdicts.length, 1);
    const [verdict] = gate.verdicts;
    assertEquals([verdict.of, verdict.n, verdict.status], ["mean", 3, "fail"]);
    assert(verdict.se > 0 && verdict.se < 0.001, String(verdict.se));
    assertMatch(
      verdict.reason,
      /^worse by 0\.02, beyond the 0\.01 allowed and 2 × 0\.000816\d+ of noise: fail$/,
    );
    const md = await runCli(emulator, [...args, "--format", "markdown"]);
    assertEquals(md.code, 1);
    assertStringIncludes(md.stdout, "❌ **Gate failed** (1 problem).");
    assertMatch(
      md.stdout,
      /\| mean of 3 \| 0\.9 \| 0\.92 \| worse by 0\.02 \| 0\.01 \| 0\.0008165 \(welch\) \| ❌ worse by 0\\\.02, beyond/,
    );
    assertMatch(
      md.stderr,
      /^gate: accuracy regressed in mean of 3: 0\.9 vs 0\.92 \(mean of the finished baselines\)/m,
    );
  });
});

Deno.test("--group-by: a sweep in one commit is one table and one verdict per group", async () => {
  const fixture = project([
    run("base0001", "finished", { tags: ["baseline"], metrics: { accuracy: 0.9 } }),
    run("base0002", "finished", { tags: ["baseline"], metrics: { accuracy: 0.9 } }),
    ...[0.91, 0.92].map((a, i) =>
      run(`hilr000${i}`, "finished", { sha: SHA, config: { lr: 0.1 }, metrics: { accuracy: a } })
    ),
    ...[0.8, 0.81].map((a, i) =>
      run(`lolr000${i}`, "finished", { sha: SHA, config: { lr: 0.01 }, metrics: { accuracy: a } })
    ),
  ]);
  await withEmulator({ fixture }, async (emulator) => {
    const args = [
      ...PROJECT,
      "--sha",
      SHA,
      "--baseline-tags",
      "baseline",
      "--group-by",
      "lr",
      "--gate",
      "accuracy:max:of=mean:abs=0.01",
    ];
    const json = await runCli(emulator, [...args, "--json"]);
    assertEquals(json.code, 1, json.stderr);
    const doc = JSON.parse(json.stdout);
    assertEquals(
      doc.groups.map((g: { name: string; candidates: string[] }) => [g.name, g.candidates.length]),
      [["lr=0.1", 2], ["lr=0.01", 2]],
    );
    assertEquals(
      doc.gate.verdicts.map((v: { group: string; status: string }) => [v.group, v.status]),
      [["lr=0.1", "pass"], ["lr=0.01", "fail"]],
    );
    // The CSV stays the drop-in CSV: no group column.
    assertEquals(json.csv!.split("\n")[0]!.includes("lr"), false);
    const md = await runCli(emulator, [...args, "--format", "markdown"]);
    assertMatch(md.stdout, /^#### lr=0\\\.1$/m);
    assertMatch(md.stdout, /^#### lr=0\\\.01$/m);
    assertMatch(md.stdout, /^#### Baselines$/m);
    assertMatch(md.stdout, /\| lr=0\\\.01 · mean of 2 \| 0\.805 \| 0\.9 \|/);
    const none = await runCli(emulator, [...PROJECT, "--sha", SHA, "--group-by", "seed"]);
    assertMatch(none.stderr, /^note: --group-by seed: no candidate has the config key "seed"/m);
  });
});
