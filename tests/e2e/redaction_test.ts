// A secret in run data never reaches the markdown (PR comment, job summary,
// --markdown), whatever a view does to the text: escaping (`local-` becomes
// `local\-`), cutting a long cell, or a Mermaid label.
import { assert, assertEquals } from "../_assert.ts";
import { PROJECT, run, runCli, SHA, testFixture, withEmulator } from "../_helpers.ts";

// A W&B Server key: `local-` and 40 hex characters.
const SERVER_KEY = "local-4f9e2d7c1b8a6e5d3c2b1a0f9e8d7c6b5a4f3e2d";
// A GitHub token, of which a run name holds only the start.
const TOKEN = "ghp_Rk3vX9mQ2wL7tY5nB8cJ4hF6dS1aZ0eU3iO9";

/** Every piece of `secret` at least 8 characters long that a reader could copy. */
function leaks(text: string, secret: string): string[] {
  const found: string[] = [];
  for (let i = 0; i + 8 <= secret.length; i++) {
    const piece = secret.slice(i, i + 8);
    // The escaped form too: `local\-4f9e…`.
    const escaped = piece.replace(/[-.]/g, "\\$&");
    if (text.includes(piece) || text.includes(escaped)) found.push(piece);
  }
  return found;
}

Deno.test("secrets in run data: never in the markdown, the summary or --format output, escaped or cut", async () => {
  const fixture = testFixture([
    run("leak0001", "finished", {
      sha: SHA,
      // Long enough that every view cuts the name inside the key.
      displayName: `${"n".repeat(30)} ${SERVER_KEY}`,
      tags: [SERVER_KEY, "baseline-x"],
      metrics: { accuracy: 0.95, note: `see ${SERVER_KEY}` },
      config: { lr: `${"c".repeat(70)}${SERVER_KEY}`, token: SERVER_KEY },
    }),
    // Only the start of a token in a long name: the cut at 60 leaves 9 of its characters.
    run("leak0002", "finished", {
      sha: SHA,
      displayName: `${"p".repeat(50)}${TOKEN.slice(0, 20)}`,
    }),
  ]);
  fixture.apiKeys.push(SERVER_KEY);
  await withEmulator({ fixture }, async (emulator) => {
    const dir = await Deno.makeTempDir();
    try {
      const summary = `${dir}/summary.md`;
      await Deno.writeTextFile(summary, "");
      for (const format of ["markdown", "json", "csv", "table"]) {
        const r = await runCli(emulator, [
          ...PROJECT,
          "--sha",
          SHA,
          "--metrics",
          "accuracy, note",
          "--config-vars",
          "lr, token",
          "--chart",
          "--markdown",
          `${dir}/report.md`,
          "--format",
          format,
        ], {
          env: { WANDB_API_KEY: SERVER_KEY, GITHUB_TOKEN: TOKEN, GITHUB_STEP_SUMMARY: summary },
        });
        assertEquals(r.code, 0, r.stderr);
        const markdown = await Deno.readTextFile(`${dir}/report.md`);
        for (
          const [where, text] of [
            ["--markdown", markdown],
            ["job summary", await Deno.readTextFile(summary)],
            [`--format ${format}`, r.stdout],
            ["stderr", r.stderr],
            ["csv", r.csv ?? ""],
          ]
        ) {
          assertEquals(leaks(text!, SERVER_KEY), [], `${where}: ${text!.slice(0, 400)}`);
        }
        assert(markdown.includes("\\*\\*\\*"), "the key's place is marked");
        // The cut cell ends where the token began: its first 9 characters are masked.
        assert(markdown.includes(`[${"p".repeat(50)}\\*\\*\\*…]`), markdown);
        assertEquals(leaks(markdown, TOKEN), []);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});
