// lib/merge/render.ts as a property: whatever text a leg's report carries
// (its key, project, rule texts, messages, values, notes, metric names), the
// merged comment, rendered by marked (an independent CommonMark renderer),
// makes no element the merge does not make itself, no link, and keeps each
// table row's columns.
import fc from "fast-check";
import { assert } from "../_assert.ts";
import { legJson } from "../_legs.ts";
import { rendered } from "../_markdown.ts";
import { LegReportSchema } from "../../lib/merge/read.ts";
import { mergeReports } from "../../lib/merge/mod.ts";
import { renderMerged } from "../../lib/merge/render.ts";

const NASTY = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    "<img src=x onerror=alert(1)>",
    "</td></tr></table><script>x</script>",
    "[click](https://evil.example)",
    "![x](https://evil.example/p.png)",
    "https://evil.example/auto",
    "<https://evil.example/angle>",
    "a | b | c",
    "@octocat and @org/team",
    "<!-- -->",
    "<details open><summary>x</summary>",
    "`` ` ``",
    "**bold** _it_",
    "\u202e\u200b",
    "\r\n# heading\n",
  ),
);

type LegDoc = ReturnType<typeof legJson> & Record<string, unknown>;

function hostileLeg(key: string, text: string[]): LegDoc {
  const leg = legJson({ key: `k${key}`, failing: 1 }) as LegDoc & {
    gate: { verdicts: Record<string, unknown>[] };
    comparisons: Record<string, unknown>[];
  };
  const [a = "", b = "", c = "", d = "", e = "", f = ""] = text;
  leg.reportKey = `k${key}${a}`;
  leg.project = b;
  leg.notes = [c, d];
  const failing = leg.gate.verdicts[0]!;
  failing.rule = `acc:max:abs=0.01 ${e}`;
  failing.message = f;
  failing.value = d;
  failing.reference = e;
  leg.comparisons[0]!.metric = `acc${c}`;
  return leg;
}

/** The HTML elements marked makes of a merged comment. */
function elements(markdown: string): Set<string> {
  return new Set(rendered(markdown).tags);
}

function merged(legs: LegDoc[]): string {
  const read = {
    legs: legs.map((doc, i) => ({
      name: String(doc.reportKey),
      file: `leg-${i}.json`,
      report: LegReportSchema.parse(doc),
    })),
    incompatible: [],
  };
  return renderMerged(mergeReports(read), { marker: "<!-- wandb-report key=m workflow=CI -->" });
}

// What the merge makes of plain legs: the only elements a comment may hold.
const OURS = elements(
  merged([hostileLeg("1", []), hostileLeg("2", ["x", "y", "z", "w", "v", "u"])]),
);

Deno.test("merged comment: leg text makes no element of its own, no link, no extra column", () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(NASTY, { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 3 }),
      (texts) => {
        const markdown = merged(texts.map((t, i) => hostileLeg(String(i), t)));
        const made = elements(markdown);
        for (const tag of made) assert(OURS.has(tag), `<${tag}> from ${JSON.stringify(texts)}`);
        assert(!made.has("a") && !made.has("img"), "no link, no image");
        // Every row of a table keeps the header's columns (an unescaped | would add one).
        const lines = markdown.split("\n");
        for (const [i, line] of lines.entries()) {
          if (!/^\|[ -:|]+\|$/.test(line) || !line.includes("---")) continue;
          const columns = (row: string) => row.split(/(?<!\\)\|/).length;
          for (let j = i + 1; j < lines.length && lines[j]!.startsWith("|"); j++) {
            assert(columns(lines[j]!) === columns(line), `row ${JSON.stringify(lines[j])}`);
          }
        }
      },
    ),
    { numRuns: 60 },
  );
});
