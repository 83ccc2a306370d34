// The numbers users read and act on: each checked against the convention it
// follows (written out here), never against our own last output.
import { floatSlack, formatMeanSd, formatNumber } from "../../lib/ground/numbers.ts";
import { assert, assertEquals } from "../_assert.ts";

Deno.test("formatNumber: 4 significant digits; exponent form from exactly 1e6 and below 1e-4", () => {
  assertEquals(formatNumber(999_900), "999900");
  assertEquals(formatNumber(1e6), "1.000e+6");
  assertEquals(formatNumber(-1e6), "-1.000e+6");
  assertEquals(formatNumber(1e-4), "0.0001");
  assertEquals(formatNumber(9.99e-5), "9.990e-5");
  assertEquals(formatNumber(0.864333), "0.8643");
  assertEquals([formatNumber(Number.NaN), formatNumber(-Infinity)], ["NaN", "−∞"]);
});

Deno.test("formatMeanSd: the spread to two significant digits, the mean to the rounded spread's place", () => {
  // 0.0996 rounds to 0.10 (two significant digits): the place is the hundredths, so 0.50, not 0.500.
  assertEquals(formatMeanSd(0.5, 0.0996), "0.50 ± 0.10");
  // 0.0994 rounds to 0.099: the thousandths.
  assertEquals(formatMeanSd(0.5, 0.0994), "0.500 ± 0.099");
  assertEquals(formatMeanSd(0.88, 0.001), "0.8800 ± 0.0010");
  assertEquals(formatMeanSd(1234.4, 56.7), "1234 ± 57");
});

Deno.test("floatSlack: a few units in the last place of the largest magnitude, negative numbers too", () => {
  assertEquals(floatSlack(-0.9, -0.89), 8 * Number.EPSILON * 0.9);
  assertEquals(floatSlack(-100.01, 3), 8 * Number.EPSILON * 100.01);
  assert(floatSlack(-1e-12) > 0);
  assertEquals(floatSlack(Number.NaN, -Infinity, 2), 8 * Number.EPSILON * 2);
});
