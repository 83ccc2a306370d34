/**
 * The W&B emulator: a real HTTP GraphQL server on loopback that speaks W&B's
 * runs API (Basic auth, `runs` with filters, order and offset cursors,
 * `keys:` projections), serves a fixture, and can script faults. For tests
 * and demos of anything that talks to W&B.
 *
 * ```ts ignore
 * import { DEMO_FIXTURE, loadFixture, startEmulator } from "@org/wandb-report/emulator";
 * const emulator = await startEmulator({ fixture: await loadFixture(DEMO_FIXTURE) });
 * console.log(`WANDB_BASE_URL=${emulator.url}`);
 * await emulator.close();
 * ```
 *
 * @module
 */
export { startEmulator } from "./lib/emulator/server.ts";
export type { Emulator, EmulatorOptions, EmulatorStats } from "./lib/emulator/server.ts";
export { DEMO_FIXTURE, loadFixture, parseFixture } from "./lib/emulator/fixtures.ts";
export type {
  Fault,
  FaultInput,
  Fixture,
  FixtureCommit,
  FixtureInput,
  FixtureRun,
  FixtureRunInput,
} from "./lib/emulator/fixtures.ts";
export type { EmulatorStore, RunDoc } from "./lib/emulator/store.ts";

if (import.meta.main) {
  const { processIo, runEmulatorCli } = await import("./lib/cli/mod.ts");
  Deno.exit(await runEmulatorCli(Deno.args, processIo(), "wandb-report-emulator"));
}
