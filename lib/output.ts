/**
 * Where every command's output goes, and the rules it passes on the way:
 * one redactor for every string, `::add-mask::` for each secret (inside
 * GitHub Actions) before any other line, human text that cannot start a
 * workflow command, and raw data fenced with `::stop-commands::`.
 *
 * @module
 */
import { annotation, commandFree, logSafe, maskCommand, stopCommands } from "./ground/actions.ts";
import type { Redactor } from "./ground/redact.ts";
import { visible } from "./ground/visible.ts";
import type { RetryDeps } from "./ground/retry.ts";

/** Where a command reads and writes; swapped in tests. */
export interface CliIo {
  /** The environment the inputs are read from. */
  env: Readonly<Record<string, string | undefined>>;
  /** Where `--help`, `--version`, `--json` and `--format` output go. */
  stdout: (text: string) => void;
  /** Where the summary, notes, debug lines and errors go. */
  stderr: (text: string) => void;
  /** Whether stdout and stderr are terminals (the table view, the updating progress line). */
  terminal?: { stdout: boolean; stderr: boolean; columns?: number };
  /** HTTP and clock overrides for tests and benchmarks. */
  deps?: {
    /** Swap the HTTP layer. */
    http?: RetryDeps;
    /** Backoff base, in ms (tests shorten it). */
    baseDelayMs?: number;
    /** The wall clock in epoch ms. */
    now?: () => number;
    /** Waits between polls of `--wait`. */
    sleep?: (ms: number) => Promise<void>;
  };
}

/**
 * The real process's streams and environment. A closed stream (`| head`)
 * is not an error: what is left to print is dropped, quietly, and the run
 * ends as it would have.
 *
 * @example
 * ```ts ignore
 * import { processIo } from "./output.ts";
 * processIo().stdout("hello\n");
 * ```
 */
export function processIo(): CliIo {
  const encoder = new TextEncoder();
  const writer = (stream: { writeSync(p: Uint8Array): number }) => {
    let closed = false;
    return (text: string) => {
      if (closed) return;
      let bytes = encoder.encode(text);
      try {
        while (bytes.length) bytes = bytes.subarray(stream.writeSync(bytes));
      } catch (error) {
        if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
        closed = true;
      }
    };
  };
  let columns: number | undefined;
  try {
    // A pseudo-terminal without a size reports 0 columns: no width then.
    columns = Deno.stdout.isTerminal() ? Deno.consoleSize().columns || undefined : undefined;
  } catch { /* not a console */ }
  return {
    env: lazyEnv(),
    stdout: writer(Deno.stdout),
    stderr: writer(Deno.stderr),
    terminal: { stdout: Deno.stdout.isTerminal(), stderr: Deno.stderr.isTerminal(), columns },
  };
}

/**
 * The environment, read one variable at a time when asked: `--help` and
 * `--version` need no `--allow-env`, and a command that needs it fails with
 * a line naming the flag rather than at startup.
 */
function lazyEnv(): Readonly<Record<string, string | undefined>> {
  return new Proxy({}, {
    get: (_, name) => typeof name === "string" ? Deno.env.get(name) : undefined,
    has: (_, name) => typeof name === "string" && Deno.env.has(name),
    ownKeys: () => Object.keys(Deno.env.toObject()),
    getOwnPropertyDescriptor: (_, name) =>
      typeof name === "string" && Deno.env.has(name)
        ? { value: Deno.env.get(name), enumerable: true, configurable: true, writable: false }
        : undefined,
  });
}

/**
 * Everything a command prints goes through one printer.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { Printer } from "./output.ts";
 * import { Redactor } from "./ground/redact.ts";
 * let err = "";
 * const redactor = new Redactor();
 * redactor.register("s3cr3t-value");
 * const print = new Printer({ env: {}, stdout: () => {}, stderr: (t) => (err += t) }, redactor);
 * print.err("sent s3cr3t-value\n::error::x\n");
 * assertEquals(err, "sent ***\n\\::error::x\n");
 * ```
 */
export class Printer {
  readonly #io: CliIo;
  #inActions: boolean | undefined;
  #live = false;
  readonly #masked = new Set<string>();
  /** The redactor every outgoing string passes. */
  readonly redactor: Redactor;

  /**
   * Creates the printer of one command.
   *
   * @param io the streams and environment (`GITHUB_ACTIONS` decides the Actions rules)
   * @param redactor holds every secret the command read
   */
  constructor(io: CliIo, redactor: Redactor) {
    this.#io = io;
    this.redactor = redactor;
  }

  /** Whether we run inside GitHub Actions. */
  get inActions(): boolean {
    return this.#actions;
  }

  /** Whether we run inside GitHub Actions (read when first needed: `--help` needs no env access). */
  get #actions(): boolean {
    if (this.#inActions === undefined) {
      try {
        this.#inActions = this.#io.env.GITHUB_ACTIONS === "true";
      } catch (error) {
        // Without env access we cannot be told; the runner always grants it.
        if (!(error instanceof Deno.errors.NotCapable)) throw error;
        this.#inActions = false;
      }
    }
    return this.#inActions;
  }

  /** Secrets registered since the last line, announced to the runner (on stderr: stdout stays parseable). */
  #mask(): void {
    if (!this.#actions) return;
    for (const secret of this.redactor.secrets) {
      if (this.#masked.has(secret)) continue;
      this.#masked.add(secret);
      this.#io.stderr(`${maskCommand(secret)}\n`);
    }
  }

  /** Human text on stderr: redacted, and never a workflow command. */
  err(text: string): void {
    this.endProgress();
    this.#mask();
    this.#io.stderr(logSafe(this.redactor.redact(text)));
  }

  /**
   * The `--debug` log: each line on stderr as `debug: …` (redacted like
   * every line), or `undefined` when debugging is off.
   */
  debugLog(on: boolean): ((line: string) => void) | undefined {
    return on ? (line) => this.err(`debug: ${line}\n`) : undefined;
  }

  /** A line for people: an annotation inside Actions, `label: text` elsewhere. */
  say(kind: "notice" | "warning" | "error", label: string, text: string): void {
    if (!this.#actions) return this.err(`${label}: ${text}\n`);
    this.endProgress();
    this.#mask();
    this.#io.stderr(`${annotation(kind, this.redactor.redact(text))}\n`);
  }

  /** Our own text on stdout (help, version, tables). */
  out(text: string): void {
    this.#mask();
    this.#io.stdout(logSafe(this.redactor.redact(text)));
  }

  /**
   * Raw data on stdout (CSV, markdown): byte for byte into a pipe or a file;
   * on a terminal or in the Actions log, escape sequences and other control
   * or invisible characters are made visible (`visible`); inside Actions
   * it is also fenced from the runner.
   */
  data(text: string): void {
    this.#mask();
    const clean = this.redactor.redact(text);
    const shown = this.#actions || this.#io.terminal?.stdout ? visible(clean) : clean;
    this.#io.stdout(this.#actions ? stopCommands(shown) : shown);
  }

  /**
   * A progress line: on a terminal (outside Actions) it replaces the previous
   * one in place; elsewhere it is a plain line.
   */
  progress(text: string): void {
    if (this.#io.terminal?.stderr && !this.#actions) {
      this.#mask();
      this.#io.stderr(`\r\x1b[2K${logSafe(this.redactor.redact(text))}`);
      this.#live = true;
    } else {
      this.err(`${text}\n`);
    }
  }

  /** Clears a progress line left on the terminal, before other output. */
  endProgress(): void {
    if (!this.#live) return;
    this.#io.stderr("\r\x1b[2K");
    this.#live = false;
  }

  /** A table of ours (its data already cleaned of control characters; colours ours), on stdout. */
  table(text: string): void {
    this.endProgress();
    this.#mask();
    // Its lines may wrap data (a note naming a run): none may start a workflow command.
    this.#io.stdout(`${commandFree(this.redactor.redact(text))}\n`);
  }

  /** A JSON document already safe for the runner (see `report/json.ts`), redacted. */
  json(text: string): void {
    this.#mask();
    this.#io.stdout(this.redactor.redact(text));
  }
}
