// lib/ground/text.ts as properties over any Unicode text (astral characters
// included): a cut never splits a character, keeps what it can, and says it
// cut; a byte clip is the longest whole-character prefix within its bytes.
import fc from "fast-check";
import { assert, assertEquals } from "../_assert.ts";
import { byteLength, clipBytes, cut, middleCut } from "../../lib/ground/text.ts";

// Text with characters of 1 to 4 UTF-8 bytes, two UTF-16 units for the astral ones.
const TEXT = fc.string({ unit: fc.constantFrom("a", "é", "実", "😀", "…", " "), maxLength: 40 });
const codePoints = (text: string) => [...text];

Deno.test("cut: at most max code points, a prefix of the text, ending in … exactly when cut", () => {
  fc.assert(
    fc.property(TEXT, fc.integer({ min: 1, max: 45 }), (text, max) => {
      const out = cut(text, max);
      const chars = codePoints(text);
      if (chars.length <= max) return out === text;
      const kept = codePoints(out);
      return kept.length === max && kept.at(-1) === "…" &&
        chars.slice(0, max - 1).join("") === kept.slice(0, -1).join("");
    }),
  );
  // An astral character is never split into a lone surrogate.
  assertEquals(cut("😀😀😀", 2), "😀…");
});

Deno.test("middleCut: keeps the start and the end, width code points, one … between", () => {
  fc.assert(
    fc.property(TEXT, fc.integer({ min: 2, max: 45 }), (text, width) => {
      const out = middleCut(text, width);
      const chars = codePoints(text);
      if (chars.length <= width) return out === text;
      const kept = codePoints(out);
      const head = Math.ceil((width - 1) / 2);
      const tail = width - 1 - head;
      return kept.length === width && kept[head] === "…" &&
        kept.slice(0, head).join("") === chars.slice(0, head).join("") &&
        kept.slice(head + 1).join("") === (tail ? chars.slice(-tail).join("") : "");
    }),
  );
});

Deno.test("clipBytes: the longest whole-character prefix within max UTF-8 bytes", () => {
  fc.assert(
    fc.property(TEXT, fc.integer({ min: 0, max: 200 }), (text, max) => {
      const out = clipBytes(text, max);
      const chars = codePoints(text);
      const kept = codePoints(out);
      // A prefix by whole characters, within the bytes, and one more character would not fit.
      const prefix = chars.slice(0, kept.length).join("") === out;
      const next = chars[kept.length];
      const longest = next === undefined || byteLength(out + next) > max;
      return prefix && byteLength(out) <= max && longest;
    }),
  );
  assert(!clipBytes("😀", 3).includes("\ufffd"), "never a replacement character");
  assertEquals(byteLength("a😀"), 5);
});
