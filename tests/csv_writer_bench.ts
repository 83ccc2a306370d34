// `deno task bench:csv`: our RFC 4180 writer against csv-stringify (its
// default and its fastest options) on the benchmark's 13,105 rows of 17
// cells. This is the measurement behind writing CSV ourselves (issue 10).
import { stringify } from "csv-stringify/sync";
import { toCsv } from "../lib/report/csv.ts";

const rows: string[][] = Array.from({ length: 13_105 }, (_, i) => [
  `http://127.0.0.1:1234/bench/proj/runs/run${i}`,
  `sweep-run-${i}`,
  '["baseline","a, b"]',
  `run${i}`,
  "bench",
  "proj",
  "3f2c9a1b7d4e5f60718293a4b5c6d7e8f9012345",
  i % 7 ? "" : 'a "quoted"\nnote',
  String(i / 13_105),
  String(1 - i / 13_105),
  String(i % 3),
  "NaN",
  String(i),
  "0.001",
  "64",
  "adam",
  "candidate",
]);
const [header, ...body] = rows;

// Same text, or the comparison means nothing.
if (toCsv(header!, body) !== stringify(rows)) throw new Error("the writers disagree");

Deno.bench("wandb-report toCsv", { group: "csv", baseline: true }, () => {
  toCsv(header!, body);
});
Deno.bench("csv-stringify default", { group: "csv" }, () => {
  stringify(rows);
});
Deno.bench("csv-stringify quoted: false, eof", { group: "csv" }, () => {
  stringify(rows, { quoted: false, eof: true });
});
