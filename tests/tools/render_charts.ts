/**
 * Renders the Mermaid charts of a report's markdown to a PNG in headless
 * Chromium (Debian's `chromium` package), with Mermaid 11 as GitHub renders
 * it, for a person to look at: `deno task charts [report.md] [out.png]`
 * (default examples/report.md → charts.png). Test-only tooling: Mermaid
 * comes from tests/deno.json, and nothing here ships.
 *
 * @module
 */
import { createRequire } from "node:module";
import { isAbsolute, join, resolve } from "node:path";
import { CHROMIUM, screenshot } from "./_chromium.ts";

const USAGE = "Usage: deno task charts [REPORT.md] [OUT.png]\n\n" +
  "Renders the Mermaid charts of a report's markdown (written with --chart) to a PNG in headless\n" +
  "Chromium (apt-get install chromium), to look at. Default: the demo's examples/report.md to\n" +
  "charts.png in a new temporary folder (the path is printed). Relative paths are taken from\n" +
  "where you typed the command.\n\n" +
  "Exit codes:\n  0   written\n  1   chromium failed\n  2   invalid input (no such file, no charts, no chromium)";

/** One line and exit 2: never a stack trace for a user's mistake. */
function fail(message: string): never {
  console.error(`error: ${message}`);
  Deno.exit(2);
}

if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
  console.log(USAGE);
  Deno.exit(0);
}
const unknown = Deno.args.find((a) => a.startsWith("-"));
if (unknown) fail(`${unknown}: expected a report file and an output file (see --help)`);
// `deno task --config …` runs in the tool's folder: paths mean where the user typed them.
const here = Deno.env.get("INIT_CWD") ?? Deno.cwd();
const at = (path: string) => (isAbsolute(path) ? path : join(here, path));
const input = Deno.args[0] === undefined
  ? new URL("../../examples/report.md", import.meta.url).pathname
  : at(Deno.args[0]);
const markdown = await Deno.readTextFile(input).catch((error) =>
  fail(`${input}: expected a readable report (${(error as Error).name})`)
);
const charts = [...markdown.matchAll(/```mermaid\n([\s\S]*?)```\n+(_[^\n]*_)?/g)];
if (!charts.length) {
  console.error(`error: ${input}: expected a report with Mermaid charts (render it with --chart)`);
  Deno.exit(2);
}
// Loaded only now, by a name the module graph does not see: --help and bad input need no
// test packages downloaded (a literal specifier is fetched before the script starts).
const mermaidName = "mermaid";
await import(mermaidName);
const mermaidJs = await Deno.readTextFile(
  createRequire(import.meta.url).resolve("mermaid/dist/mermaid.min.js"),
);
const escape = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const html = `<!doctype html><html><head><meta charset="utf-8">
<style>body{font-family:sans-serif;margin:16px;width:880px} .note{font-size:13px;color:#444;margin:4px 0 24px}</style>
<script>${mermaidJs}</script></head><body>
${
  charts.map(([, chart, note]) =>
    `<pre class="mermaid">${escape(chart!)}</pre><div class="note">${escape(note ?? "")}</div>`
  ).join("\n")
}
<script>mermaid.initialize({ startOnLoad: false, theme: "default" });
mermaid.run().then(() => { document.title = "rendered"; });</script>
</body></html>`;
// Said before any folder is made: a missing chromium leaves nothing behind.
if (!(await Deno.stat(CHROMIUM).catch(() => undefined))) {
  fail(`chromium: expected Debian's chromium at ${CHROMIUM} (apt-get install chromium)`);
}
// By default a new temporary folder: a look leaves nothing in the repository.
const output = Deno.args[1] === undefined
  ? join(await Deno.makeTempDir({ prefix: "wandb-report-charts-" }), "charts.png")
  : at(Deno.args[1]);
await screenshot(html, resolve(output), 920, 120 + charts.length * 560);
console.error(`wrote ${output}: ${charts.length} chart(s) from ${input}`);
