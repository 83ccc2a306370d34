/**
 * The report from end to end. {@link runReport} reads top to bottom as one
 * run goes: fetch → classify → compare (once) → gate (fed the comparisons) →
 * render every format. Each step is also a library call of its own
 * ({@link collectReport}, {@link judgeReport}, {@link renderReport}). Nothing
 * here writes a file or prints; the CLI does. The stages are files of their
 * own: `collect`, `history`, `wait`, `judge`, `render`, `notes`, with their
 * types first (`types`) and the library's options (`options`).
 *
 * @module
 */
import { collect, wandbClient } from "./collect.ts";
import { judgeReport } from "./judge.ts";
import { type ReportOptions, settleOptions } from "./options.ts";
import { renderReport } from "./render.ts";
import type { CollectDeps, RenderContext, Report } from "./types.ts";
import { waitChecked } from "./wait.ts";

export { collectReport } from "./collect.ts";
export { judgeReport } from "./judge.ts";
export { baselineSource } from "./notes.ts";
export type { Defaulted, ReportOptions } from "./options.ts";
export { renderReport } from "./render.ts";
export { collectCommits } from "./sweep.ts";
export type * from "./types.ts";
export { waitForCandidates } from "./wait.ts";

/**
 * One report, top to bottom: fetch and classify, compare once, gate on those
 * comparisons, render every format. The CLI writes what this returns.
 *
 * @throws {import("./errors.ts").ApiError} when W&B fails for good
 *
 * @example
 * ```ts ignore
 * import { resolveInputs, runReport } from "../../mod.ts";
 * const run = resolveInputs(["--project", "acme/vision", "--sha", "abc1234"], Deno.env.toObject());
 * if (run.kind === "report") {
 *   const { rendered } = await runReport(run.options, { csvPath: run.options.out });
 *   await Deno.writeTextFile(run.options.out, rendered.csv);
 * }
 * ```
 */
export async function runReport(
  options: ReportOptions,
  deps: CollectDeps & RenderContext,
): Promise<Report> {
  // Checked once, here, where the library is entered.
  options = settleOptions(options);
  const result = options.waitSeconds > 0
    ? await waitChecked(options, deps)
    : await collect(options, deps, wandbClient(options, deps));
  const judgement = judgeReport(result, options);
  const rendered = renderReport(result, judgement, options, deps);
  return { result, judgement, rendered };
}
