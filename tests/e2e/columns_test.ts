// The terminal view honours COLUMNS, as shells and pagers do (a pipe into
// `less` has no terminal size of its own).
import { runDemoCli } from "../../lib/cli/mod.ts";
import { assert, assertEquals } from "../_assert.ts";

Deno.test("table: COLUMNS sets the width of the terminal view", async () => {
  for (const columns of [60, 100]) {
    const dir = await Deno.makeTempDir();
    try {
      let stdout = "";
      const code = await runDemoCli(["--format", "table", "--out", `${dir}/r.csv`], {
        env: { COLUMNS: String(columns) },
        stdout: (t) => (stdout += t),
        stderr: () => {},
      });
      assertEquals(code, 0);
      const widest = Math.max(...stdout.split("\n").map((line) => [...line].length));
      assert(widest <= columns && widest > columns - 20, `${columns}: ${widest}`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});
