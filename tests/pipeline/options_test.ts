// The library's options left out take the defaults their docs say (@default), from one table.
import { settleOptions } from "../../lib/pipeline/options.ts";
import { assertEquals } from "../_assert.ts";

Deno.test("options: the library's @default tags are the defaults settleOptions fills in", async () => {
  const text = await Deno.readTextFile(new URL("../../lib/pipeline/options.ts", import.meta.url));
  const tagged = [...text.matchAll(/@default (.+)\n\s*\*\/\n\s*(\w+)\??:/g)].map((m) => [
    m[2]!,
    JSON.parse(m[1]!),
  ]);
  const settled = settleOptions({ apiKey: "k", entity: "a", project: "b" }) as unknown as Record<
    string,
    unknown
  >;
  assertEquals(tagged.length, 10);
  for (const [key, value] of tagged) assertEquals(settled[key!], value, key);
});
