// lib/report/acceptance.ts as a unit: the reason, the login and the time of an
// acceptance are untrusted text in the sticky comment. Rendered by a CommonMark
// renderer (marked, not ours), they make no HTML element, no link, no mention
// of anyone else, and show the text the user typed.
import { assert, assertEquals } from "../_assert.ts";
import { rendered } from "../_markdown.ts";
import { acceptedStatus, MAX_REASON, renderAcceptance } from "../../lib/report/acceptance.ts";

const SHA = "3f2c9a1b7d4e5f60718293a4b5c6d7e8f9012345";
const AT = "2026-12-07T10:00:00Z";

/** The text a reader sees: tags dropped, entities decoded. */
function shown(html: string): string {
  return html.replace(/<[^>]*>/g, "").replaceAll("&lt;", "<").replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&amp;", "&").trim();
}

Deno.test("renderAcceptance: a hostile reason makes no element, link or mention, and shows as typed", () => {
  const reasons = [
    '<img src=x onerror=alert(1)> <script>x</script> <a href="https://evil">click</a>',
    "[free money](https://evil.example) ![x](https://evil.example/x.png) https://evil.example",
    "cc @ana and @org/team -- <!-- hidden --> `code` **bold** _it_ ~~gone~~ | a | b |",
    "::error::owned\n##[error]owned\r\n# heading",
  ];
  for (const reason of reasons) {
    const block = renderAcceptance({ sha: SHA, by: "ana", at: AT, reason });
    const { html, tags } = rendered(block);
    // The block's own markup only: a quote, a paragraph, the bold label, the SHA as code.
    assertEquals([...new Set(tags)].sort(), ["blockquote", "code", "p", "strong"], html);
    // One mention: the acceptor's own (a reason's @ is broken by a zero-width space).
    assertEquals(shown(html).match(/@[\w-]/g), ["@a"], html);
    assertEquals(block.split("\n").length, 1, "one line");
    // What a reader sees is what was typed (whitespace runs as one space, the breaks aside).
    const seen = shown(html).replaceAll("\u200b", "").replace(/\s+/g, " ");
    assert(seen.includes(reason.replace(/\s+/g, " ")), seen);
  }
});

Deno.test("renderAcceptance: the reason cut at 300 characters, a strange login and time escaped", () => {
  const long = renderAcceptance({ sha: SHA, by: "ana", at: AT, reason: "é".repeat(400) });
  assert(long.includes(`${"é".repeat(MAX_REASON - 1)}….`), "cut with an ellipsis");
  const odd = renderAcceptance({ sha: SHA, by: "<b>x</b>", at: "<i>now</i>", reason: "r" });
  assertEquals(rendered(odd).tags.includes("b") || rendered(odd).tags.includes("i"), false);
  assertEquals(
    renderAcceptance({ sha: SHA, by: "dependabot[bot]", at: AT, reason: "r" }).includes(
      "@dependabot[bot] ",
    ),
    true,
  );
  assertEquals(acceptedStatus({ sha: SHA, by: "a".repeat(200), at: AT, reason: "r" }).length, 140);
});
