import fc from "fast-check";
import { InvalidInputError } from "../../lib/ground/errors.ts";
import { parseList } from "../../lib/inputs/lists.ts";
import { assertEquals, assertThrows } from "../_assert.ts";

/** Python's repr() of a list of str, with either quote style, as the old action's users wrote. */
function pythonRepr(items: string[], quote: "'" | '"'): string {
  const esc = (s: string) =>
    s.replace(/\\/g, "\\\\").replaceAll(quote, `\\${quote}`).replace(/\n/g, "\\n")
      .replace(/\r/g, "\\r").replace(/\t/g, "\\t");
  return `[${items.map((s) => `${quote}${esc(s)}${quote}`).join(", ")}]`;
}

Deno.test("parseList: the old action's Python literals", () => {
  assertEquals(parseList("x", "['baseline', 'reference']"), ["baseline", "reference"]);
  assertEquals(parseList("x", `["baseline", 'reference',]`), ["baseline", "reference"]);
  assertEquals(parseList("x", "['it\\'s', \"say \\\"hi\\\"\", 'a\\\\b', 'tab\\t']"), [
    "it's",
    'say "hi"',
    "a\\b",
    "tab\t",
  ]);
  assertEquals(parseList("x", "['\\x41\\u00e9']"), ["Aé"]);
  assertEquals(parseList("x", "[]"), []);
});

Deno.test("parseList: JSON arrays and plain text", () => {
  assertEquals(parseList("x", '["val/acc", "loss"]'), ["val/acc", "loss"]);
  assertEquals(parseList("x", "accuracy, loss"), ["accuracy", "loss"]);
  assertEquals(parseList("x", "accuracy\nloss\n\n"), ["accuracy", "loss"]);
  assertEquals(parseList("x", " baseline "), ["baseline"]);
  assertEquals(parseList("x", ""), []);
  assertEquals(parseList("x", "   \n "), []);
});

Deno.test("parseList: anything else is an error naming the input", () => {
  const bad: [string, string][] = [
    ["['a', 1]", "item 2 is number"],
    ["['a', ['b']]", "item 2 is a nested list"],
    ["['a', None]", "invalid character"],
    ["['a', null]", "item 2 is null"],
    ["['a", "invalid end of input"],
    ["['a' 'b']", "invalid character"],
    ["{'a': 1}", "a tuple or dict"],
    ["('a', 'b')", "a tuple or dict"],
    ["['\\U0001F600']", "\\U and \\N{…} escapes are not supported"],
    ["['\\N{DASH}']", "\\U and \\N{…} escapes are not supported"],
    ["'baseline', 'reference'", "has quotes or brackets; write the whole list as ['a', 'b']"],
    ["baseline, ref(v2)", `item "ref(v2)" has quotes or brackets`],
    ["a, {b}", `item "{b}" has quotes or brackets`],
    ["a, b]", `item "b]" has quotes or brackets`],
    ["a, it\u2019s", "has quotes or brackets"],
    ["None", "None is not a list; write [] for none"],
  ];
  for (const [text, reason] of bad) {
    const error = assertThrows(() => parseList("INPUT_BASELINE_TAGS", text), InvalidInputError);
    assertEquals(error.input, "INPUT_BASELINE_TAGS");
    assertEquals(error.message.startsWith("INPUT_BASELINE_TAGS: expected a list of strings"), true);
    assertEquals(error.message.includes(reason), true, `${text}: ${error.message}`);
  }
});

Deno.test("parseList: code is data, never run; plain text that looks like code is an error", () => {
  assertThrows(() => parseList("x", "__import__('os').system('id')"), InvalidInputError);
  assertEquals(parseList("x", "['__import__(\"os\")']"), ['__import__("os")']);
  // The README's promises: [] is the empty list, None an error (above).
  assertEquals(parseList("x", "[]"), []);
});

Deno.test("parseList: an escaped backslash before U is not mistaken for \\U", () => {
  assertEquals(parseList("x", "['C:\\\\Users']"), ["C:\\Users"]);
});

Deno.test("parseList (property): Python repr round-trips, both quote styles", () => {
  fc.assert(
    fc.property(
      fc.array(fc.string({ unit: "grapheme", maxLength: 12 }), { maxLength: 6 }),
      fc.constantFrom<"'" | '"'>("'", '"'),
      (items, quote) => {
        assertEquals(parseList("x", pythonRepr(items, quote)), items);
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("parseList (property): JSON arrays round-trip", () => {
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 6 }), (items) => {
      // JSON5 follows JSON for every escape JSON.stringify emits, except that
      // a lone surrogate stays lone either way; both sides agree.
      assertEquals(parseList("x", JSON.stringify(items)), items);
    }),
    { numRuns: 500 },
  );
});

Deno.test("parseList (property): plain comma lists of plain names round-trip", () => {
  const name = fc.stringMatching(/^[A-Za-z0-9_./-][A-Za-z0-9_./ -]{0,10}[A-Za-z0-9_./-]$/);
  fc.assert(
    fc.property(
      fc.array(name, { maxLength: 6 }),
      fc.constantFrom(",", ", ", "\n"),
      (items, sep) => {
        assertEquals(parseList("x", items.join(sep)), items);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("parseList (property): never throws anything but InvalidInputError", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 30 }), (text) => {
      try {
        const items = parseList("x", `[${text}`);
        assertEquals(items.every((i) => typeof i === "string"), true);
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
      }
    }),
    { numRuns: 500 },
  );
});
