/**
 * `deno task readme`: rewrites the generated tables of the docs from their
 * sources, so the two never disagree: the report's options (what `--help`
 * prints) in docs/reference.md, and the reusable workflow's and the action's
 * inputs and outputs (from wandb-report.yml, wandb-report-merge.yml and
 * action.yml) in docs/workflow.md. Tests hold the docs to the same tables.
 *
 * @module
 */
import { parse } from "yaml";
import { inputsMarkdown } from "../../lib/inputs/report.ts";

const ROOT = new URL("../../", import.meta.url);

/** A markdown table cell: one line, pipes escaped. */
const cell = (text: unknown) =>
  String(text ?? "").replace(/\s+/g, " ").replace(/\|/g, "\\|").trim();

/** The inputs and outputs tables of a workflow's `workflow_call` or of an action. */
export function yamlTables(text: string): { inputs: string; outputs: string } {
  // deno-lint-ignore no-explicit-any
  const doc = parse(text) as any;
  const spec = doc.on?.workflow_call ?? doc;
  // deno-lint-ignore no-explicit-any
  const inputs = Object.entries(spec.inputs ?? {}) as [string, any][];
  // deno-lint-ignore no-explicit-any
  const outputs = Object.entries(spec.outputs ?? {}) as [string, any][];
  const shown = (value: unknown) =>
    value === undefined ? "" : value === "" ? '`""`' : `\`${cell(value)}\``;
  return {
    inputs: [
      "| input | description | default | required |",
      "| --- | --- | --- | --- |",
      ...inputs.map(([name, input]) =>
        `| \`${name}\` | ${cell(input.description)} | ${shown(input.default)} | ${
          input.required ? "yes" : "no"
        } |`
      ),
    ].join("\n"),
    outputs: [
      "| output | description |",
      "| --- | --- |",
      ...outputs.map(([name, output]) => `| \`${name}\` | ${cell(output.description)} |`),
    ].join("\n"),
  };
}

/** Every generated block: its file, marker and content. */
export async function generatedBlocks(): Promise<
  { file: string; marker: string; content: string }[]
> {
  const read = (path: string) => Deno.readTextFile(new URL(path, ROOT));
  const workflow = yamlTables(await read(".github/workflows/wandb-report.yml"));
  const merge = yamlTables(await read(".github/workflows/wandb-report-merge.yml"));
  const action = yamlTables(await read("action.yml"));
  return [
    { file: "docs/reference.md", marker: "inputs", content: inputsMarkdown() },
    { file: "docs/workflow.md", marker: "workflow-inputs", content: workflow.inputs },
    { file: "docs/workflow.md", marker: "workflow-outputs", content: workflow.outputs },
    { file: "docs/workflow.md", marker: "merge-inputs", content: merge.inputs },
    { file: "docs/workflow.md", marker: "action-inputs", content: action.inputs },
    { file: "docs/workflow.md", marker: "action-outputs", content: action.outputs },
  ];
}

if (import.meta.main) {
  for (const block of await generatedBlocks()) {
    const path = new URL(block.file, ROOT);
    const text = await Deno.readTextFile(path);
    const start = text.indexOf(`<!-- ${block.marker}:start`);
    const end = text.indexOf(`<!-- ${block.marker}:end -->`);
    if (start < 0 || end < start) {
      console.error(`error: ${block.file}: expected a <!-- ${block.marker}:start --> block`);
      Deno.exit(2);
    }
    const head = text.slice(0, text.indexOf("\n", start) + 1);
    await Deno.writeTextFile(path, `${head}${block.content}\n${text.slice(end)}`);
    await new Deno.Command(Deno.execPath(), { args: ["fmt", "-q", path.pathname] }).output();
  }
}
