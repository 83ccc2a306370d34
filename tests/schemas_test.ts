// lib/schemas.ts as a unit: the fields the library's options and the
// commands' tables share — ranges at their edges, from text as flags and
// variables give them; a token fit for an HTTP header; a URL parsed by the
// WHATWG parser and normalised, never carrying a key.
import {
  COMMENT_MODE,
  DEFAULTS,
  FETCH_FIELDS,
  HTTP_URL,
  RETRY_FIELDS,
  seconds,
  TOKEN,
  wholeNumber,
} from "../lib/schemas.ts";
import { assertEquals } from "./_assert.ts";

const verdict = (
  schema: {
    safeParse(
      v: unknown,
    ): { success: boolean; data?: unknown; error?: { issues: { message: string }[] } };
  },
  value: unknown,
) => {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : `error: ${parsed.error!.issues[0]!.message}`;
};

Deno.test("schemas: whole numbers and seconds in range, from text, at their edges", () => {
  const pages = wholeNumber(1, 1000);
  const out = "error: a whole number from 1 to 1000";
  // "" coerces to 0, out of range; blanks around a number are dropped.
  assertEquals(
    ["1", "1000", "0", "1001", "2.5", "abc", "", " 7 "].map((v) => verdict(pages, v)),
    [1, 1000, out, out, out, out, out, 7],
  );
  const timeout = seconds(0.1, 600);
  assertEquals(["0.1", "600", "0.05", "601", "1e2"].map((v) => verdict(timeout, v)), [
    0.1,
    600,
    "error: a number of seconds from 0.1 to 600",
    "error: a number of seconds from 0.1 to 600",
    100,
  ]);
});

Deno.test("schemas: the shared fields default to DEFAULTS, declared once", () => {
  const defaults = Object.fromEntries(
    Object.entries({ ...RETRY_FIELDS, ...FETCH_FIELDS }).map((
      [k, field],
    ) => [k, field.parse(undefined)]),
  );
  assertEquals(defaults, { ...DEFAULTS });
});

Deno.test("schemas: a token is printable ASCII without spaces, so it cannot break an HTTP header", () => {
  assertEquals(verdict(TOKEN, "ghs_abc123-._~!"), "ghs_abc123-._~!");
  for (const bad of ["ghs abc", "ghs\r\nX-Evil: 1", "", "tökén", "tab\there"]) {
    assertEquals(
      verdict(TOKEN, bad),
      "error: a token without spaces or line breaks",
      JSON.stringify(bad),
    );
  }
  assertEquals(verdict(TOKEN, 42), "error: a token (pass github.token as GITHUB_TOKEN)");
});

Deno.test("schemas: an http(s) URL parsed and normalised; credentials, queries, fragments and other schemes refused", () => {
  const cases: [string, string][] = [
    ["https://API.wandb.ai/", "https://api.wandb.ai"],
    ["http://127.0.0.1:8080/graphql//", "http://127.0.0.1:8080/graphql"],
    ["HTTPS://wandb.example.com:443/base", "https://wandb.example.com/base"],
    [
      "https://user:key@api.wandb.ai",
      "error: a URL without user:password@ (the key goes in WANDB_API_KEY)",
    ],
    ["https://api.wandb.ai/?key=x", "error: a URL without ?query or #fragment"],
    ["https://api.wandb.ai/#x", "error: a URL without ?query or #fragment"],
    ["ftp://api.wandb.ai", "error: an http:// or https:// URL"],
    ["javascript:alert(1)", "error: an http:// or https:// URL"],
    ["api.wandb.ai", "error: an http:// or https:// URL"],
  ];
  assertEquals(cases.map(([text]) => [text, verdict(HTTP_URL, text)]), cases);
});

Deno.test("schemas: the comment modes, and one message naming them all", () => {
  assertEquals(["always", "changes", "failures", "off"].map((m) => verdict(COMMENT_MODE, m)), [
    "always",
    "changes",
    "failures",
    "off",
  ]);
  assertEquals(verdict(COMMENT_MODE, "loud"), "error: always, changes, failures, off");
});
