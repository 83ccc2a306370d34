/**
 * `deno task readme`: rewrites the README's generated Inputs table from the
 * report's option table (what `--help` prints), so the two never disagree.
 *
 * @module
 */
import { inputsMarkdown } from "../lib/inputs/report.ts";

if (import.meta.main) {
  const path = new URL("../README.md", import.meta.url);
  const text = await Deno.readTextFile(path);
  const start = text.indexOf("<!-- inputs:start");
  const end = text.indexOf("<!-- inputs:end -->");
  if (start < 0 || end < start) throw new Error("README.md has no <!-- inputs:start --> block");
  const head = text.slice(0, text.indexOf("\n", start) + 1);
  await Deno.writeTextFile(path, `${head}${inputsMarkdown()}\n${text.slice(end)}`);
  await new Deno.Command(Deno.execPath(), { args: ["fmt", "-q", path.pathname] }).output();
}
