/**
 * File writing that never leaves a half-written file behind.
 *
 * @module
 */
import { dirname, join } from "node:path";

/**
 * Writes `text` to a temporary file beside `path`, then renames it over
 * `path`, so readers see the old file or the whole new one, never a part.
 * When `path` is an existing directory, writes `fallbackName` inside it.
 *
 * @returns the path written
 *
 * @example
 * ```ts ignore
 * import { writeFileAtomic } from "./fs.ts";
 * await writeFileAtomic("wandb_report.csv", "run.url,run.name\n");
 * ```
 */
export async function writeFileAtomic(
  path: string,
  text: string,
  fallbackName?: string,
): Promise<string> {
  let target = path;
  if (fallbackName !== undefined) {
    const info = await Deno.stat(path).catch(() => undefined);
    if (info?.isDirectory) target = join(path, fallbackName);
  }
  const temp = join(
    dirname(target),
    `.${target.split("/").at(-1)}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`,
  );
  try {
    await Deno.writeTextFile(temp, text);
    await Deno.rename(temp, target);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
  return target;
}
