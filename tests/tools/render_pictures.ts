/**
 * `deno task pictures`: the README's pictures, made from the demo itself —
 * the PR comment (the demo's markdown report rendered as GitHub renders it:
 * GitHub-flavoured markdown, the Mermaid charts) and the terminal view (the
 * demo's table at 120 columns) — each a PNG under docs/, taken in headless
 * Chromium (Debian's chromium). Test-only tooling: marked and Mermaid come
 * from tests/deno.json; nothing here ships.
 *
 * @module
 */
import "mermaid";
import { marked } from "marked";
import { createRequire } from "node:module";
import { runDemoCli } from "../../lib/cli/mod.ts";
import { screenshot } from "./_chromium.ts";

const DOCS = new URL("../../docs/", import.meta.url).pathname;

if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
  console.log(
    "Usage: deno task pictures\n\nRenders docs/comment.png (the demo's PR comment) and " +
      "docs/terminal.png (its terminal view) in headless Chromium (apt-get install chromium).",
  );
  Deno.exit(0);
}

const escape = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The demo's outputs: its markdown report and its table at `columns`. */
async function demo(columns: number): Promise<{ markdown: string; table: string }> {
  const dir = await Deno.makeTempDir();
  try {
    let table = "";
    const code = await runDemoCli(
      [
        "--app-url",
        "https://wandb.ai",
        "--markdown",
        `${dir}/r.md`,
        "--out",
        `${dir}/r.csv`,
        "--format",
        "table",
      ],
      { env: { COLUMNS: String(columns) }, stdout: (t) => (table += t), stderr: () => {} },
    );
    if (code !== 0) throw new Error(`the demo exited ${code}`);
    return { markdown: await Deno.readTextFile(`${dir}/r.md`), table };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const { markdown, table } = await demo(120);
const mermaidJs = await Deno.readTextFile(
  createRequire(import.meta.url).resolve("mermaid/dist/mermaid.min.js"),
);
// GitHub's renderer, as near as a page can be: GFM, <details> open as the report opens them.
const body = (await marked.parse(markdown.replace(/^<!--.*-->\n/gm, ""), { gfm: true }))
  .replace(
    /<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g,
    (_, code) => `<pre class="mermaid">${code}</pre>`,
  );
const page = `<!doctype html><html><head><meta charset="utf-8"><style>
body{font:14px/1.5 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#1f2328;margin:0;background:#fff}
.comment{margin:16px;border:1px solid #d1d9e0;border-radius:6px;max-width:1000px}
.header{background:#f6f8fa;border-bottom:1px solid #d1d9e0;padding:8px 16px;color:#59636e}
.body{padding:16px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}td,th{border:1px solid #d1d9e0;padding:4px 10px}
th{background:#f6f8fa}code{background:#eff1f3;padding:1px 4px;border-radius:4px}
details{margin:8px 0}summary{cursor:pointer;font-weight:600}
.mermaid{max-width:700px}
</style><script>${mermaidJs}</script></head><body><div class="comment">
<div class="header"><b>github-actions</b> bot commented</div><div class="body">${body}</div></div>
<script>mermaid.initialize({ startOnLoad: false });mermaid.run();</script></body></html>`;
await screenshot(page, `${DOCS}comment.png`, 1040, 1500);
await screenshot(
  `<!doctype html><html><head><meta charset="utf-8"><style>
body{margin:0;background:#1e1e1e}pre{margin:16px;color:#d4d4d4;font:13px/1.35 "DejaVu Sans Mono",monospace}
</style></head><body><pre>$ deno task demo --format table\n${escape(table)}</pre></body></html>`,
  `${DOCS}terminal.png`,
  1020,
  480,
);
console.error("wrote docs/comment.png and docs/terminal.png");
