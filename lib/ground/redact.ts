/**
 * The one redactor every outgoing string passes through. Secrets (the W&B
 * key and its `api:KEY` Basic form, GitHub tokens, credentials in a URL) are
 * registered where the inputs are read, before anything can print them; every
 * line, file, step output and PR comment is then redacted on its way out,
 * inside GitHub Actions or not.
 *
 * @module
 */

/** What a secret is replaced by, as the Actions runner shows a masked value. */
export const REDACTED = "***";

// Shorter values would redact ordinary words and numbers all over a report.
const MIN_LENGTH = 4;

// A cut (a cell or message shortened to fit) may leave the start of a secret
// at its end: any prefix this long, directly before the cut's mark, is masked.
const MIN_PREFIX = 8;
// The marks our cuts end with: `…` (views) and `...` (error messages).
const CUT_MARK = "(?=…|\\.\\.\\.)";

/**
 * A set of secrets and the function that removes them from text.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { Redactor } from "./redact.ts";
 * const redactor = new Redactor();
 * redactor.registerApiKey("k3y-Zq7mW2xP9vL4");
 * assertEquals(redactor.redact("sent k3y-Zq7mW2xP9vL4"), "sent ***");
 * assertEquals(redactor.redact(`Basic ${btoa("api:k3y-Zq7mW2xP9vL4")}`), "Basic ***");
 * ```
 */
export class Redactor {
  readonly #secrets = new Set<string>();
  #pattern: RegExp | undefined;

  /** The registered secrets, in the order they were registered (for `::add-mask::`). */
  get secrets(): string[] {
    return [...this.#secrets];
  }

  /**
   * Registers a secret; values shorter than 4 characters are ignored (they
   * would redact ordinary text, and are no secret worth the name).
   */
  register(secret: string | undefined): void {
    if (secret === undefined || secret.length < MIN_LENGTH || this.#secrets.has(secret)) return;
    this.#secrets.add(secret);
    this.#pattern = undefined;
  }

  /** Registers a W&B API key and the `Authorization: Basic` value derived from it. */
  registerApiKey(key: string | undefined): void {
    if (key === undefined) return;
    this.register(key);
    this.register(basicAuth(key));
  }

  /** Registers the user name and password of a URL, when it has them. */
  registerUrl(text: string | undefined): void {
    if (text === undefined || !text.includes("@") || !URL.canParse(text)) return;
    const url = new URL(text);
    for (const part of [url.username, url.password]) {
      if (!part) continue;
      this.register(part);
      this.register(decodeURIComponentSafe(part));
    }
  }

  /**
   * `text` with every registered secret replaced by {@link REDACTED}, and
   * with any prefix of a secret (at least 8 characters) that a cut left at
   * the end of a cell (right before `…` or `...`) replaced too.
   */
  redact(text: string): string {
    if (this.#secrets.size === 0) return text;
    this.#pattern ??= secretPattern(this.secrets);
    return text.replace(this.#pattern, REDACTED);
  }

  /**
   * `value` with {@link Redactor.redact} applied to every string in it, keys
   * included, at any depth: run data is redacted so, before any view escapes
   * or cuts it. Objects and arrays are copied only where something changed.
   *
   * @example
   * ```ts
   * import { deepStrictEqual as assertEquals } from "node:assert";
   * import { Redactor } from "./redact.ts";
   * const redactor = new Redactor();
   * redactor.register("local-0123456789abcdef");
   * const run = { name: "r1", tags: ["local-0123456789abcdef"], config: { lr: 0.1 } };
   * assertEquals(redactor.redactValue(run), { name: "r1", tags: ["***"], config: { lr: 0.1 } });
   * assertEquals(redactor.redactValue({ a: 1 }), { a: 1 });
   * ```
   */
  redactValue<T>(value: T): T {
    if (this.#secrets.size === 0) return value;
    return this.#deep(value) as T;
  }

  #deep(value: unknown): unknown {
    if (typeof value === "string") return this.redact(value);
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const item = this.#deep(value[i]);
        if (item !== value[i]) (copy ??= value.slice())[i] = item;
      }
      return copy ?? value;
    }
    let copy: Record<string, unknown> | undefined;
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const clean = this.redact(key);
      const item = this.#deep(record[key]);
      if (clean === key && item === record[key]) continue;
      if (!copy) {
        // A plain copy that keeps a "__proto__" key as data.
        copy = {};
        for (const k of Object.keys(record)) define(copy, k, record[k]);
      }
      if (clean !== key) delete copy[key];
      define(copy, clean, item);
    }
    return copy ?? value;
  }
}

/** Sets an own data property, even one named `__proto__`. */
function define(record: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(record, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/**
 * One pattern for every secret: the whole secrets first, longest first (so a
 * secret that contains another is replaced whole), then the prefixes a cut
 * can leave: `abcdefgh(?:i(?:j…)?)?` before a cut's mark.
 */
function secretPattern(secrets: readonly string[]): RegExp {
  const byLength = [...secrets].sort((a, b) => b.length - a.length);
  const prefixes = byLength.filter((s) => s.length > MIN_PREFIX).map((secret) => {
    const chars = [...secret].slice(0, -1).map(escapeRegex);
    let tail = "";
    for (let i = chars.length - 1; i >= MIN_PREFIX; i--) tail = `(?:${chars[i]}${tail})?`;
    return `${chars.slice(0, MIN_PREFIX).join("")}${tail}${CUT_MARK}`;
  });
  return new RegExp([...byLength.map(escapeRegex), ...prefixes].join("|"), "g");
}

/**
 * The `Authorization: Basic` credential W&B expects for a key:
 * `base64("api:" + key)`, with the key's UTF-8 bytes (a key outside Latin-1
 * cannot break `btoa`).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { basicAuth } from "./redact.ts";
 * assertEquals(basicAuth("k"), btoa("api:k"));
 * ```
 */
export function basicAuth(key: string): string {
  const bytes = new TextEncoder().encode(`api:${key}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
