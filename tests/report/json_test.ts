// lib/report/json.ts's text as a property: whatever a report's values hold
// (workflow-command pieces, line breaks, C1 and format characters, NaN and
// Infinity), the document reads back as the same values in a JSON reader,
// and its text holds no line the runner would take for a command and no
// character a terminal would obey or hide.
//
// The reader is json5's, in plain JavaScript: V8's own JSON.parse (Deno
// 2.9.6, V8 15.0) misreads an object key that is one escaped character
// ("\u009b", "\n") as "\\" once it has parsed a key "\\" in the same place
// of an object with the same keys before it (chromium issue 521080746,
// nodejs/node#63785; this property found it), so it cannot be the yardstick.
import fc from "fast-check";
import JSON5 from "json5";
import { jsonText } from "../../lib/report/json.ts";
import { assertEquals } from "../_assert.ts";

const TEXT = fc.string({
  unit: fc.constantFrom(
    "::",
    "##[",
    "#",
    "[",
    " ",
    "\n",
    "\r",
    "\u2028",
    "\u2029",
    "\u009b", // C1 CSI
    "\u007f",
    "\u202e", // right-to-left override
    "\u200b", // zero width space
    "\ufeff",
    "😀",
    "a",
    '"',
    "\\",
  ),
  maxLength: 20,
});
const NUMBER = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -0));
const VALUE = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    TEXT,
    NUMBER,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(TEXT, tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** The value as a JSON reader should get it back: non-finite numbers as their names. */
function expected(value: unknown): unknown {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return String(value);
    return Object.is(value, -0) ? 0 : value;
  }
  if (Array.isArray(value)) return value.map(expected);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expected(v)]));
  }
  return value;
}

Deno.test("json: any values read back the same, in a text with no runner command and nothing a terminal obeys or hides", () => {
  fc.assert(
    fc.property(VALUE, (value) => {
      const text = jsonText(value);
      assertEquals(JSON5.parse(text), expected(value));
      assertEquals(text.endsWith("\n"), true);
      for (const line of text.slice(0, -1).split("\n")) {
        // The runner reads `::` at a line's start (after blanks) and `##[` anywhere.
        assertEquals(/^\s*::/.test(line), false, line);
        assertEquals(line.includes("##["), false, line);
        assertEquals(/[\r\u007f-\u009f\p{Cf}\u2028\u2029]/u.test(line), false, line);
      }
    }),
    { numRuns: 2_000 },
  );
});
