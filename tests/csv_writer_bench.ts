// `deno task bench:csv`: the report's CSV renderer (`renderCsv`) against
// csv-stringify (its default and its fastest options) on the benchmark's
// 13,105 rows of 17 cells. This is the measurement behind writing CSV
// ourselves (issue 10). csv-stringify gets the very cells renderCsv wrote
// (read back with csv-parse), and must write the very same text.
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { renderCsv } from "../lib/report/csv.ts";
import type { Run } from "../lib/ground/model.ts";

const metrics = ["m1", "m2", "m3", "m4", "m5"];
const ctx = {
  appUrl: "http://127.0.0.1:1234",
  entity: "bench",
  project: "proj",
  metrics,
  configVars: ["lr", "batch_size", "optimizer"],
};
const runs: Run[] = Array.from({ length: 13_105 }, (_, i) => ({
  name: `run${i}`,
  displayName: `sweep-run-${i}`,
  state: "finished",
  tags: ["baseline", "a, b"],
  description: i % 7 ? null : 'a "quoted"\nnote',
  config: {
    github_sha: "3f2c9a1b7d4e5f60718293a4b5c6d7e8f9012345",
    lr: 0.001,
    batch_size: 64,
    optimizer: "adam",
  },
  summary: { m1: i / 13_105, m2: 1 - i / 13_105, m3: i % 3, m4: NaN, m5: i },
}));
const text = renderCsv(runs, [], ctx).text;
const rows = parse(text) as string[][];

// Same text, or the comparison means nothing.
if (stringify(rows) !== text) throw new Error("the writers disagree");

Deno.bench("wandb-report renderCsv", { group: "csv", baseline: true }, () => {
  renderCsv(runs, [], ctx);
});
Deno.bench("csv-stringify default", { group: "csv" }, () => {
  stringify(rows);
});
Deno.bench("csv-stringify quoted: false, eof", { group: "csv" }, () => {
  stringify(rows, { quoted: false, eof: true });
});
