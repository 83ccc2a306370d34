// GitHub's own workflow parser (@actions/workflow-parser, from
// actions/languageservices) under Deno. Its dist does
// `import X from "../workflow-v1.0.min.json"` without the JSON import
// attribute, which Deno (and Node's ESM loader) refuse. So, at test time, we
// copy its dist into a temp dir, add `with { type: "json" }` to those two
// imports and point its bare imports at the pinned npm packages. The parser's
// code is otherwise untouched; nothing generated is committed.
import { join } from "node:path";
import { npmCache } from "./_helpers.ts";

const VERSION = "0.3.61";
// Its dependencies, as pinned in deno.json / deno.lock.
const BARE: Record<string, string> = {
  "@actions/expressions": "npm:@actions/expressions@0.3.61",
  "cronstrue": "npm:cronstrue@2.61.0",
  "yaml": "npm:yaml@2.9.1",
};

// deno-lint-ignore no-explicit-any
type Module = any;
let loaded: Promise<{ workflows: Module; actions: Module }> | undefined;

async function npmCacheDir(): Promise<string> {
  const registry = new URL(Deno.env.get("NPM_CONFIG_REGISTRY") ?? "https://registry.npmjs.org")
    .host;
  return join(await npmCache(), registry);
}

async function copyPatched(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory) {
      await copyPatched(source, target);
    } else if (entry.name.endsWith(".js")) {
      let text = await Deno.readTextFile(source);
      text = text.replace(/(from\s+"[^"]+\.json")(\s*;)/g, '$1 with { type: "json" }$2');
      text = text.replace(/from\s+"([^".][^"]*)"/g, (whole, specifier: string) => {
        const [scopeOrName, ...rest] = specifier.split("/");
        const name = scopeOrName!.startsWith("@") ? `${scopeOrName}/${rest.shift()}` : scopeOrName!;
        const mapped = BARE[name];
        return mapped ? `from "${mapped}${rest.length ? `/${rest.join("/")}` : ""}"` : whole;
      });
      await Deno.writeTextFile(target, text);
    } else if (entry.name.endsWith(".json")) {
      await Deno.copyFile(source, target);
    }
  }
}

/** Loads the parser once per test process. */
export function workflowParser(): Promise<{ workflows: Module; actions: Module }> {
  return loaded ??= (async () => {
    // Fetches the package into Deno's cache (the import itself fails on the JSON).
    await import("@actions/workflow-parser").catch(() => {});
    const dist = join(await npmCacheDir(), "@actions", "workflow-parser", VERSION, "dist");
    const dir = await Deno.makeTempDir({ prefix: "workflow-parser-" });
    await copyPatched(dist, dir);
    return {
      workflows: await import(`file://${dir}/index.js`),
      actions: await import(`file://${dir}/actions/index.js`),
    };
  })();
}

/** A file for the parser: its path and text. */
export interface WorkflowFile {
  name: string;
  content: string;
}

/**
 * Parses and converts a workflow like GitHub does, loading local reusable
 * workflows (`./.github/workflows/x.yml` or `owner/repo/...@ref` mapped by
 * `files`) so callers are checked against the callee's inputs and secrets.
 * Returns every error message.
 */
export async function workflowErrors(
  file: WorkflowFile,
  files: Record<string, string> = {},
): Promise<string[]> {
  const { workflows } = await workflowParser();
  const parsed = workflows.parseWorkflow(file, new workflows.NoOperationTraceWriter());
  const errors: string[] = parsed.context.errors.getErrors().map((e: { message: string }) =>
    e.message
  );
  if (parsed.value === undefined) return errors;
  const provider = {
    getFileContent(ref: { path?: string; owner?: string; repository?: string }) {
      const key = ref.owner ? `${ref.owner}/${ref.repository}/${ref.path}` : ref.path ?? "";
      const content = files[key];
      if (content === undefined) throw new Error(`no file for ${JSON.stringify(ref)}`);
      return Promise.resolve({ name: key, content });
    },
  };
  const template = await workflows.convertWorkflowTemplate(
    parsed.context,
    parsed.value,
    provider,
    { fetchReusableWorkflowDepth: 1 },
  );
  const all = [...errors, ...(template.errors ?? []).map((e: { Message: string }) => e.Message)];
  return [...new Set(all)];
}

/** Parses an action metadata file (`action.yml`) and returns every error message. */
export async function actionErrors(file: WorkflowFile): Promise<string[]> {
  const { actions, workflows } = await workflowParser();
  const { context, value } = actions.parseAction(file, new workflows.NoOperationTraceWriter());
  if (value !== undefined) actions.convertActionTemplate(context, value);
  return context.errors.getErrors().map((e: { message: string }) => e.message);
}
