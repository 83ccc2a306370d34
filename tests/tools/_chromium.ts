/**
 * A page, as headless Chromium (Debian's `chromium`) draws it, to a PNG: the
 * one way the picture tools (`deno task charts`, `deno task pictures`) take a
 * screenshot. Without background networking (this machine's network is
 * closed), in a throw-away profile.
 *
 * @module
 */

/**
 * Debian's chromium, by its path: the tasks grant `--allow-run` for this path
 * alone, which Deno need not look up on PATH (a name it cannot find is
 * reported at every start, even for `--help`).
 */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * Writes `html` to a temporary page and screenshots it at `width` × `height`
 * into `out`. Exits 2 with one line when chromium is not installed, 1 when it
 * fails.
 */
export async function screenshot(
  html: string,
  out: string,
  width: number,
  height: number,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "wandb-report-screenshot-" });
  try {
    await Deno.writeTextFile(`${dir}/page.html`, html);
    let result: Deno.CommandOutput;
    try {
      // Spawning throws at once (not a rejected promise) when chromium is not there.
      result = await new Deno.Command(CHROMIUM, {
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-extensions",
          "--disable-sync",
          "--no-first-run",
          `--user-data-dir=${dir}/profile`,
          "--hide-scrollbars",
          "--virtual-time-budget=15000",
          `--window-size=${width},${height}`,
          `--screenshot=${out}`,
          `file://${dir}/page.html`,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
    } catch (error) {
      console.error(
        error instanceof Deno.errors.NotFound
          ? `error: chromium: expected Debian's chromium at ${CHROMIUM} (apt-get install chromium)`
          : `error: chromium could not start (${(error as Error).name})`,
      );
      await Deno.remove(dir, { recursive: true });
      Deno.exit(2);
    }
    if (!result.success || !(await Deno.stat(out).catch(() => undefined))) {
      console.error(`error: chromium failed: ${new TextDecoder().decode(result.stderr).trim()}`);
      await Deno.remove(dir, { recursive: true });
      Deno.exit(1);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
