// Each report option is declared once: its row in lib/inputs/_report_table.ts holds its flag,
// its variables, its help and its schema (range and default); parsing and --help read that row.
import { REPORT_SOURCES } from "../../lib/inputs/_report_table.ts";
import { helpOf } from "../../lib/inputs/command.ts";
import { MERGE_COMMAND } from "../../lib/inputs/merge.ts";
import { helpText, REPORT_COMMAND, resolveInputs } from "../../lib/inputs/report.ts";
import { CHATOPS_COMMAND } from "../../lib/inputs/chatops.ts";
import { ACCEPT_COMMAND } from "../../lib/inputs/accept.ts";
import { COMMENT_COMMAND } from "../../lib/inputs/comment.ts";
import { STATUS_COMMAND } from "../../lib/inputs/status.ts";
import { PUBLISH_COMMAND } from "../../lib/inputs/publish.ts";
import { QUEUE_COMMAND } from "../../lib/inputs/queue.ts";
import { WAITING_COMMAND } from "../../lib/inputs/waiting.ts";
import { EMULATOR_COMMAND } from "../../lib/inputs/emulator.ts";
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

Deno.test("options: in every command's --help each option says its default at most once, from its schema", () => {
  const commands = {
    REPORT_COMMAND,
    MERGE_COMMAND,
    CHATOPS_COMMAND,
    ACCEPT_COMMAND,
    COMMENT_COMMAND,
    STATUS_COMMAND,
    PUBLISH_COMMAND,
    QUEUE_COMMAND,
    WAITING_COMMAND,
    EMULATOR_COMMAND,
  };
  for (const [name, command] of Object.entries(commands)) {
    // One option's text: from its flag (or "(environment)") to the next one.
    const options = command.help("x").split(/\n {2}(?=--|\(environment\))/).slice(1);
    assert(options.length > 2, name);
    for (const option of options) {
      const defaults = option.match(/Default /g)?.length ?? 0;
      assert(defaults <= 1, `${name}: ${option.split("\n")[0]}`);
    }
  }
  // Defaults that were written by hand in the help, now printed from the schemas.
  assertStringIncludes(CHATOPS_COMMAND.help("x").replace(/\s+/g, " "), "Default /get-runs.");
  assertStringIncludes(
    ACCEPT_COMMAND.help("x").replace(/\s+/g, " "),
    "Default /accept-regression.",
  );
  assertStringIncludes(EMULATOR_COMMAND.help("x").replace(/\s+/g, " "), "Default 8080.");
  assertStringIncludes(WAITING_COMMAND.help("x").replace(/\s+/g, " "), "Default 10.");
});
