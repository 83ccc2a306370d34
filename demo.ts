/**
 * The demo: the whole report job on the bundled demo project, against a W&B
 * emulator started in-process on a free loopback port. Run it with
 * `deno run --allow-net=127.0.0.1 --allow-env --allow-read --allow-write
 * jsr:@org/wandb-report/demo` (extra report flags win over the demo's).
 *
 * @module
 */
export { DEMO_ARGS } from "./lib/demo.ts";

if (import.meta.main) {
  const { processIo, runDemoCli } = await import("./lib/cli/mod.ts");
  Deno.exit(await runDemoCli(Deno.args, processIo(), "wandb-report-demo"));
}
