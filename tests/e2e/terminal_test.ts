// One rule for every byte that reaches a terminal or a log: escape
// sequences, C1 controls, bidi and zero-width characters in run data are made
// visible; files written with --out stay byte for byte what the data was.
import { assert, assertEquals, assertStringIncludes } from "../_assert.ts";
import { PROJECT, run, runCli, SHA, testFixture, withEmulator } from "../_helpers.ts";

const HOSTILE = [
  "\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07", // OSC 8 link
  "\x1b]52;c;cm0gLXJmIH4=\x07", // OSC 52 clipboard write
  "\x1b[2J\x1b[H", // clear the screen
  "\x9b2J", // the same with the C1 CSI
  "\x9d0;title\x9c", // C1 OSC … ST
  "gnp.\u202eexe", // a bidi override
  "zero\u200bwidth\ufeff", // zero-width space, BOM
  "bell\x07",
];

// Anything a terminal would obey or hide.
// deno-lint-ignore no-control-regex
const RAW = /[\x00-\x08\x0b-\x1f\x7f-\x9f\p{Cf}\u2028\u2029]/u;

function raw(text: string): string[] {
  return [...text.matchAll(new RegExp(RAW, "gu"))].map((m) =>
    `U+${m[0].codePointAt(0)!.toString(16)} at ${m.index}`
  ).slice(0, 5);
}

Deno.test("terminals and logs: run data cannot drive them; --out files stay byte-exact", async () => {
  const runs = HOSTILE.map((text, i) =>
    run(`term000${i}`, "finished", {
      sha: SHA,
      displayName: text,
      tags: [text, "baseline"],
      metrics: { accuracy: text, loss: 0.5 },
      config: { lr: text },
    })
  );
  const fixture = testFixture(runs);
  await withEmulator({ fixture }, async (emulator) => {
    const base = [
      ...PROJECT,
      "--sha",
      SHA,
      "--metrics",
      "accuracy, loss",
      "--config-vars",
      "lr",
      "--gate",
      "accuracy:max",
      "--debug",
    ];
    for (const actions of ["", "true"]) {
      for (const format of ["csv", "markdown", "json", "table"]) {
        const label = `--format ${format}${actions ? " in Actions" : ""}`;
        const r = await runCli(emulator, [...base, "--format", format], {
          // Colours are ours; without them any ESC on stdout came from data.
          env: { GITHUB_ACTIONS: actions, NO_COLOR: "1" },
          terminal: { stdout: true, stderr: true, columns: 100 },
        });
        assert([0, 1].includes(r.code), r.stderr);
        assertEquals(raw(r.stdout), [], `${label}: stdout`);
        // Our own progress line may clear its line (ESC [2K) on a terminal; nothing else.
        assertEquals(raw(r.stderr.replaceAll("\r\x1b[2K", "")), [], `${label}: stderr`);
        // The CSV file holds the data as it was.
        for (const text of HOSTILE) assertStringIncludes(r.csv!, text.replaceAll("\x00", ""));
      }
    }
    // Into a pipe (no terminal, no runner) --format csv is the file, byte for byte.
    const piped = await runCli(emulator, [...base, "--format", "csv"]);
    assertEquals(piped.stdout, piped.csv);
    // --json is safe wherever it goes, and reads back to the same data.
    const json = await runCli(emulator, [...base, "--json"]);
    assertEquals(raw(json.stdout), []);
    const names = JSON.parse(json.stdout).candidates.map((c: { name: string }) => c.name);
    for (const text of HOSTILE) assert(names.includes(text), JSON.stringify(text));
  });
});
