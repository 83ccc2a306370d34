import fc from "fast-check";
import { parseLenientJson, stringifyLenientJson } from "../../lib/ground/json.ts";
import { assertEquals, assertThrows } from "../_assert.ts";

Deno.test("parseLenientJson: strict JSON and W&B's bare NaN/Infinity", () => {
  assertEquals(parseLenientJson('{"a": 1}'), { a: 1 });
  assertEquals(parseLenientJson('{"loss": NaN, "hi": Infinity, "lo": -Infinity}'), {
    loss: NaN,
    hi: Infinity,
    lo: -Infinity,
  });
  assertEquals(parseLenientJson('["NaN"]'), ["NaN"], "a string NaN stays a string");
  assertThrows(() => parseLenientJson("{nope"), SyntaxError);
});

Deno.test("stringifyLenientJson: non-finite numbers as bare tokens", () => {
  assertEquals(
    stringifyLenientJson({ a: NaN, b: [Infinity, -Infinity], c: 1 }),
    '{"a":NaN,"b":[Infinity,-Infinity],"c":1}',
  );
  assertEquals(stringifyLenientJson({ s: "NaN" }), '{"s":"NaN"}');
  assertEquals(stringifyLenientJson(["x"]), '["x"]');
});

Deno.test("lenient JSON (property): round-trips any JSON value with non-finite numbers", () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.string(), (v, s) => {
      const tricky = { v, s, nan: NaN, inf: [Infinity, -Infinity], key: "\u0000nonfinite:NaN" };
      // JSON itself cannot carry -0; compare with what plain JSON keeps of v.
      const expected = { ...tricky, v: JSON.parse(JSON.stringify(v) ?? "null") };
      assertEquals(parseLenientJson(stringifyLenientJson(tricky)), expected);
    }),
    { numRuns: 300 },
  );
});
