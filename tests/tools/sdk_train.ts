/**
 * A small training script that logs with W&B's official JavaScript SDK
 * (`npm:@wandb/sdk`), as a project's training job would: the commit in the
 * config (`github_sha`), a few steps of metrics, then the exit code. Point it
 * at the emulator with `WANDB_BASE_URL` and `WANDB_API_KEY`.
 *
 * Usage: deno run -A --config tests/deno.json tests/tools/sdk_train.ts \
 *   PROJECT RUN_ID COMMIT_SHA ACCURACY EXIT_CODE
 *
 * @module
 */
import wandb from "@wandb/sdk";

const [project, id, sha, accuracy, exitCode] = Deno.args;
if (!project || !id || !sha || accuracy === undefined || exitCode === undefined) {
  console.error("usage: sdk_train.ts PROJECT RUN_ID COMMIT_SHA ACCURACY EXIT_CODE");
  Deno.exit(2);
}
const run = await wandb.init({
  project,
  id,
  name: `${id}-seed`,
  config: { github_sha: sha, lr: 0.01, model: { depth: 4 } },
});
const final = Number(accuracy);
for (let step = 0; step < 3; step++) {
  run.log({ accuracy: final - (2 - step) * 0.01, loss: 0.5 - step * 0.1 });
}
await run.finish(Number(exitCode));
