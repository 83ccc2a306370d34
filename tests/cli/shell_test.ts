// lib/cli/_shell.ts as a unit, with a made-up command: the shape every
// command has — --help and --version answered, a bare call shown the usage
// before its error, and whatever a run throws turned into one line and the
// exit code errors.ts maps it to, an ::error:: annotation inside Actions,
// secrets never shown.
import meta from "../../deno.json" with { type: "json" };
import { command, type Run } from "../../lib/cli/_shell.ts";
import { AuthError, InvalidInputError } from "../../lib/ground/errors.ts";
import type { Command, Resolved } from "../../lib/inputs/command.ts";
import type { CliIo } from "../../lib/output.ts";
import { assertEquals } from "../_assert.ts";

const SECRET = "wb-secret-7Hq2Lx9Pz4Kc1Vb8";

/** `greet --name NAME` (NAME required; `--key` is a secret), as a definition. */
const GREET: Command<{ name: string; key?: string }> = {
  resolve(argv, _env, redactor): Resolved<{ name: string; key?: string }> {
    if (argv.includes("--help")) return { kind: "help" };
    if (argv.includes("--version")) return { kind: "version" };
    const at = argv.indexOf("--name");
    const key = argv[argv.indexOf("--key") + 1];
    if (argv.includes("--key") && key) redactor?.register(key);
    if (at < 0 || !argv[at + 1]) throw new InvalidInputError("--name", "a name");
    return { kind: "run", options: { name: argv[at + 1]!, key } };
  },
  help: (program) => `Usage: ${program} --name NAME\n\nGreets NAME.`,
};

async function call(argv: string[], run: Run<{ name: string; key?: string }>, env = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
  const code = await command(argv, io, () => Promise.resolve(GREET), "greet", run);
  return { code, out: out.join(""), err: err.join("") };
}

const hello: Run<{ name: string }> = (options, _io, print) => {
  print.out(`hello ${options.name}\n`);
  return Promise.resolve(0);
};

Deno.test("shell: --help and --version are answered without running; a run's code is the exit code", async () => {
  assertEquals(await call(["--help"], hello), {
    code: 0,
    out: "Usage: greet --name NAME\n\nGreets NAME.\n",
    err: "",
  });
  assertEquals(await call(["--version"], hello), {
    code: 0,
    out: `${meta.name} ${meta.version}\n`,
    err: "",
  });
  assertEquals(await call(["--name", "ana"], hello), { code: 0, out: "hello ana\n", err: "" });
  assertEquals((await call(["--name", "ana"], () => Promise.resolve(1))).code, 1);
});

Deno.test("shell: a bare call gets the usage before its one-line error; a call with inputs only the error", async () => {
  const bare = await call([], hello);
  assertEquals(bare.code, 2);
  assertEquals(
    bare.err,
    "Usage: greet --name NAME\nRun with --help for every option.\nerror: --name: expected a name\n",
  );
  // Inside Actions (INPUT_* set) the same error is an annotation, without the usage.
  const action = await call([], hello, { GITHUB_ACTIONS: "true", INPUT_NAME: "" });
  assertEquals([action.code, action.err], [2, "::error::--name: expected a name\n"]);
});

Deno.test("shell: what a run throws is one line with its exit code, secrets never shown", async () => {
  const throwing = (error: unknown): Run<{ name: string }> => () => Promise.reject(error);
  const cases: [unknown, number, string][] = [
    [new AuthError(`W&B refused the key ${SECRET}`), 3, "error: W&B refused the key ***\n"],
    [
      new InvalidInputError("--baseline-tags", "tags"),
      2,
      "error: --baseline-tags: expected tags\n",
    ],
    [
      new TypeError(`cannot read ${SECRET}`),
      70, // a bug of ours (docs: exit codes)
      "internal error (please report it): cannot read ***\n",
    ],
    [
      new Deno.errors.NotCapable(
        'Requires net access to "api.wandb.ai:443", run again with the --allow-net flag',
      ),
      2,
      'error: permissions: expected --allow-net on the deno run command (it needs net access to "api.wandb.ai:443")\n',
    ],
  ];
  for (const [error, code, said] of cases) {
    const result = await call(["--name", "ana", "--key", SECRET], throwing(error));
    assertEquals([result.code, result.err], [code, said]);
  }
});
