// Each report option is declared once: its row in lib/inputs/_report_table.ts holds its flag,
// its variables, its help and its schema (range and default); parsing and --help read that row.
import { REPORT_SOURCES } from "../../lib/inputs/_report_table.ts";
import { helpOf } from "../../lib/inputs/command.ts";
import { helpText, resolveInputs } from "../../lib/inputs/report.ts";
import { MERGE_COMMAND } from "../../lib/inputs/merge.ts";
import { assert, assertEquals, assertStringIncludes } from "../_assert.ts";

const rows = Object.entries(REPORT_SOURCES);
const defaultOf = (schema: { def: unknown }) => {
  const def = schema.def as { type: string; defaultValue?: unknown };
  return def.type === "default" ? { value: def.defaultValue } : undefined;
};

Deno.test("options: every report option's row holds its schema, and no help writes a default by hand beside it", () => {
  assertEquals(rows.length > 40, true);
  for (const [key, row] of rows) {
    assert(row.schema, `${key} has no schema in its row`);
    if (defaultOf(row.schema)) assert(!/Default/.test(row.help), `${key}: a default written twice`);
  }
});

Deno.test("options: --help shows each row's schema default, and a run without the option gets that value", () => {
  const run = resolveInputs(["--project", "acme/vision", "--sha", "abc1234"], {
    WANDB_API_KEY: "local-demo-key",
  });
  assert(run.kind === "report");
  const options = run.options as unknown as Record<string, unknown>;
  const help = helpText("deno task report").replace(/\s+/g, " ");
  // The options whose key the parsed result keeps (the rest are renamed: pollInterval → pollSeconds).
  const renamed: Record<string, string> = {
    pollInterval: "pollSeconds",
    staleAfter: "staleAfterSeconds",
  };
  let checked = 0;
  for (const [key, row] of rows) {
    const found = defaultOf(row.schema);
    if (!found || found.value === false || Array.isArray(found.value)) continue;
    assertStringIncludes(help, helpOf(row).replace(/\s+/g, " "));
    assert(/ Default \S+\.$/.test(helpOf(row)), `${key}: ${helpOf(row)}`);
    const name = renamed[key] ?? key;
    if (name in options) {
      assertEquals(options[name], found.value, key);
      checked++;
    }
  }
  // Page size, retries, scan days, history, reference, comment mode, … (not maxWait: it caps --wait).
  assert(checked >= 12, `only ${checked} defaults checked`);
  assertStringIncludes(help, "Runs per request, 1-1000. Default 100.");
  assertStringIncludes(help, "pauses grow by half, to 5 min. Default 30s.");
});

Deno.test("options: the merge's rows hold their schemas too: its help says each default once", () => {
  const help = MERGE_COMMAND.help("deno task merge").replace(/\s+/g, " ");
  assertStringIncludes(help, "wandb-report/KEY. Default matrix.");
  assertStringIncludes(help, "Per-request timeout. Default 20.");
  assertEquals(help.match(/Default matrix\./g)?.length, 1);
  const run = MERGE_COMMAND.resolve(["legs/"], {});
  assert(run.kind === "run");
  assertEquals([run.options.reportKey, run.options.maxAttempts], ["matrix", 6]);
});
