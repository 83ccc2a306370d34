// lib/report/sweep_json.ts as a unit: the sweep's document crosses from the
// job that holds the W&B key to the one that delivers, as an artifact; what
// comes back is parsed, and a wrong field is one input error naming the file
// and the field.
import { assertEquals, assertThrows } from "../_assert.ts";
import { InvalidInputError } from "../../lib/ground/errors.ts";
import { parseSweep, sweepJson } from "../../lib/report/sweep_json.ts";

const SHA = "3f2c9a1b7d4e5f60718293a4b5c6d7e8f9012345";
const REPORT = {
  pr: 7,
  sha: SHA,
  markdown: "<!-- wandb-report key=acme/vision workflow=W&B -->\n### report",
  outputs: {
    STATUS_STATE: "failure" as const,
    STATUS_DESCRIPTION: "gate failed",
    GATE_VERDICT: "failed",
  },
};

Deno.test("sweep JSON: written and read back the same, extra outputs kept", () => {
  const sweep = {
    reportKey: "acme/vision",
    swept: 1,
    remaining: 2,
    reports: [{ ...REPORT, outputs: { ...REPORT.outputs, NUM_RUNS: "3" } }],
  };
  const text = sweepJson(sweep);
  assertEquals(parseSweep(text, "sweep.json"), { version: 1, sweep: true, ...sweep });
});

Deno.test("sweep JSON: a wrong document is one input error naming the file and the field", () => {
  const bad = (change: (doc: Record<string, unknown>) => void) => {
    const doc = JSON.parse(
      sweepJson({ reportKey: "acme/vision", swept: 1, remaining: 0, reports: [REPORT] }),
    );
    change(doc);
    return JSON.stringify(doc);
  };
  const cases: [string, string, string][] = [
    ["not json {", "sweep.json", "expected the JSON of a sweep"],
    [bad((d) => d.version = 2), "sweep.json", "version"],
    [
      bad((d) => (d.reports as { sha: string }[])[0]!.sha = "abc1234"),
      "legs/s.json",
      "reports.0.sha",
    ],
    [
      bad((d) => (d.reports as { markdown: string }[])[0]!.markdown = "x".repeat(65_537)),
      "sweep.json",
      "a comment GitHub takes",
    ],
    [
      bad((d) =>
        (d.reports as { outputs: { STATUS_STATE: string } }[])[0]!.outputs.STATUS_STATE = "error"
      ),
      "sweep.json",
      "reports.0.outputs.STATUS_STATE",
    ],
    [bad((d) => d.reportKey = "a b"), "sweep.json", "a report key"],
  ];
  for (const [text, source, says] of cases) {
    const error = assertThrows(() => parseSweep(text, source), InvalidInputError);
    assertEquals(
      error.message.startsWith(`${source}: expected the JSON of a sweep`),
      true,
      error.message,
    );
    assertEquals(error.message.includes(says), true, `${says} in: ${error.message}`);
    assertEquals(error.message.includes("\n"), false, "one line");
  }
});
