import fc from "fast-check";
import { assertEquals } from "../_assert.ts";
import { Redactor } from "../../lib/ground/redact.ts";
import { cut, middleCut } from "../../lib/ground/text.ts";

Deno.test("redactor: a secret that contains another is replaced whole, in either order of registering", () => {
  // Both start at the same place: only longest-first replaces the longer whole.
  for (const order of [["abcd1234", "abcd1234-more"], ["abcd1234-more", "abcd1234"]]) {
    const redactor = new Redactor();
    order.forEach((secret) => redactor.register(secret));
    assertEquals(redactor.redact("sent abcd1234-more and abcd1234"), "sent *** and ***");
  }
});

Deno.test("redactor: the start of a secret that a cut leaves before … or ... is masked", () => {
  const redactor = new Redactor();
  redactor.register("local-0123456789abcdef");
  assertEquals(redactor.redact("name local-012345…"), "name ***…");
  assertEquals(redactor.redact('got "x local-0123..."'), 'got "x ***..."');
  // Fewer than 8 characters of it, or no cut after it, is left alone.
  assertEquals(redactor.redact("name local-0…"), "name local-0…");
  assertEquals(redactor.redact("local-012345 and more"), "local-012345 and more");
});

Deno.test("redactor: values are redacted at any depth, keys too, and a __proto__ key stays data", () => {
  const redactor = new Redactor();
  redactor.register("s3cr3t-token");
  const value = JSON.parse(
    '{"a":["s3cr3t-token",1,{"b":"x s3cr3t-token"}],"s3cr3t-token":2,"__proto__":"s3cr3t-token"}',
  );
  const clean = redactor.redactValue(value);
  assertEquals(JSON.stringify(clean), '{"a":["***",1,{"b":"x ***"}],"__proto__":"***","***":2}');
  assertEquals(Object.getPrototypeOf(clean), Object.prototype);
  // Nothing to change: the same object back.
  const plain = { a: [1, "x"] };
  assertEquals(redactor.redactValue(plain) === plain, true);
});

Deno.test("redactor: a credential given percent-encoded in a URL is redacted in both forms", () => {
  const redactor = new Redactor();
  redactor.registerUrl("https://ci-bot:s3cr%40t%2Fpass%3Dw0rd@wandb.example.com/");
  for (const form of ["s3cr@t/pass=w0rd", "s3cr%40t%2Fpass%3Dw0rd"]) {
    assertEquals(redactor.redact(`password ${form} here`), "password *** here", form);
  }
  assertEquals(redactor.redact("user ci-bot"), "user ***");
});

Deno.test("redactor property: whatever surrounds a secret and wherever a view cuts it, neither it nor 8 of its first characters show", () => {
  // Secrets of regex-special and astral characters too; text around them of the same stuff.
  const unit = fc.constantFrom(
    "a",
    "Z",
    "0",
    "-",
    ".",
    "*",
    "+",
    "(",
    "$",
    "\\",
    "é",
    "😀",
    " ",
    "…",
  );
  const secretArb = fc.string({ unit, minLength: 9, maxLength: 24 }).filter((s) =>
    !s.includes("…")
  );
  fc.assert(
    fc.property(
      secretArb,
      fc.string({ unit, maxLength: 12 }),
      fc.string({ unit, maxLength: 12 }),
      fc.integer({ min: 1, max: 60 }),
      (secret, before, after, width) => {
        const redactor = new Redactor();
        redactor.register(secret);
        const text = `${before}${secret}${after}`;
        const chars = [...secret];
        const leaks = (shown: string) =>
          shown.includes(secret) ||
          // A cut that kept 8 or more of its first characters right before the mark.
          Array.from({ length: chars.length - 8 }, (_, i) => chars.slice(0, 8 + i).join("") + "…")
            .some((prefix) => shown.includes(prefix));
        return !leaks(redactor.redact(text)) && !leaks(redactor.redact(cut(text, width))) &&
          !leaks(redactor.redact(middleCut(text, width)));
      },
    ),
    { numRuns: 300 },
  );
});
