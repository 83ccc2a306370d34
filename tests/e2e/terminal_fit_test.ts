// The terminal view fits the terminal: the demo run under a real
// pseudo-terminal (util-linux `script`) sized 40, 70, 100 and 160 columns.
// Every line fits; names stay told apart; what was left out is said.
import { assert, assertMatch } from "../_assert.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

async function demoAt(columns: number): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "wandb-report-pty-" });
  try {
    const deno = Deno.execPath();
    const inner = `stty cols ${columns} rows 50; cd '${dir}' && '${deno}' run ` +
      `--allow-net=127.0.0.1 --allow-env --allow-read --allow-write '${ROOT}tasks/demo.ts' ` +
      "--app-url https://wandb.ai 2>/dev/null";
    const out = await new Deno.Command("script", {
      args: ["-qec", inner, "/dev/null"],
      env: { NO_COLOR: "1", TERM: "xterm" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert(out.success, `${text}\n${new TextDecoder().decode(out.stderr)}`);
    // deno-lint-ignore no-control-regex
    return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r/g, "");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

for (const columns of [40, 70, 100, 160]) {
  Deno.test(`terminal view at ${columns} columns under a pseudo-terminal: every line fits`, async () => {
    const text = await demoAt(columns);
    const lines = text.split("\n");
    for (const line of lines) {
      assert([...line].length <= columns, `${[...line].length} > ${columns}: ${line}`);
    }
    // The five candidates can still be told apart.
    for (const n of [1, 2, 3]) assertMatch(text, new RegExp(`pr-412-seed-${n}`));
    assertMatch(text, /▲ better, ▼ worse than the reference/);
    if (columns === 160) assertMatch(text, /val_loss/);
    if (columns === 100 || columns === 70) {
      assertMatch(text, /3 more metric columns left out to fit \d+ columns: loss, val_accuracy,/);
    }
    if (columns === 70) assertMatch(text, /resnet18-m…-baseline[\s\S]*resnet18-p…-baseline/);
  });
}
