import { visible } from "../../lib/ground/visible.ts";
import { assertEquals } from "../_assert.ts";

Deno.test("visible: U+2028 and U+2029 are escaped like the other line breaks a log would obey", () => {
  assertEquals(visible("a\u2028b\u2029c\rd"), "a\\u2028b\\u2029c\\rd");
  // A line feed and a tab stay: they are the line structure itself.
  assertEquals(visible("a\n\tb"), "a\n\tb");
});
