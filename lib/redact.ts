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

  /** `text` with every registered secret replaced by {@link REDACTED}. */
  redact(text: string): string {
    if (this.#secrets.size === 0) return text;
    // Longest first, so a secret that contains another is replaced whole.
    this.#pattern ??= new RegExp(
      this.secrets.sort((a, b) => b.length - a.length).map(escapeRegex).join("|"),
      "g",
    );
    return text.replace(this.#pattern, REDACTED);
  }
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
