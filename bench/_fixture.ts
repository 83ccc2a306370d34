// The benchmark's project: 100,000 runs, 20 % candidates for one SHA, 1 %
// baselines, each with a realistic config, summary and system metrics, so
// that full-fragment fetches carry what real W&B runs carry.
import { seededRandom } from "../lib/ground/random.ts";
import type { FixtureInput } from "../lib/emulator/fixtures.ts";

export const BENCH_SHA = "b3nchb3nchb3nchb3nchb3nchb3nchb3nch0000".replace(/[^0-9a-f]/g, "a");
export const BENCH_KEY = "bench-local-key-0000000000000000000000000000000000";
export const BENCH_ENTITY = "bench";
export const BENCH_PROJECT = "large";
export const BENCH_METRICS = ["accuracy", "loss", "val_accuracy", "val_loss", "_runtime"];
export const BENCH_CONFIG = ["lr", "batch_size", "optimizer"];

// Seeded draws, so every run of the benchmark serves the same project.
const prng = (seed: number) => seededRandom(seed).uniform;

const STATES = [
  "finished",
  "finished",
  "finished",
  "finished",
  "finished",
  "finished",
  "running",
  "crashed",
  "failed",
  "killed",
];

/** The base branch's first-parent history: 60 commits, newest first (variant (f) walks 51). */
export const BENCH_CHAIN: string[] = Array.from(
  { length: 60 },
  (_, i) => `c0ffee${i.toString(16).padStart(34, "0")}`,
);

export function benchFixture(total = 100_000): FixtureInput {
  const random = prng(42);
  const hex = () => Math.floor(random() * 0xffffffff).toString(16).padStart(8, "0");
  const runs = [];
  for (let i = 0; i < total; i++) {
    const candidate = i % 5 === 0;
    const baseline = i % 100 === 1;
    const random40 = `${hex()}${hex()}${hex()}${hex()}${hex()}`;
    // The baselines were trained on the base branch: a commit of its history each.
    const sha = candidate ? BENCH_SHA : baseline ? BENCH_CHAIN[(i >> 2) % 60]! : random40;
    const metrics: Record<string, unknown> = {
      _runtime: Math.round(random() * 36_000),
      _step: Math.round(random() * 50_000),
      _timestamp: 1_760_000_000 + i,
      _wandb: { runtime: Math.round(random() * 36_000) },
    };
    for (
      const name of [
        "accuracy",
        "loss",
        "val_accuracy",
        "val_loss",
        "top5",
        "f1",
        "precision",
        "recall",
        "auc",
        "lr_now",
        "grad_norm",
        "throughput",
        "epoch",
        "train_time",
        "eval_time",
      ]
    ) {
      metrics[name] = Math.round(random() * 1e6) / 1e6;
    }
    for (let layer = 0; layer < 12; layer++) metrics[`layer_${layer}/weight_norm`] = random();
    metrics.confusion = {
      _type: "table-file",
      path: `media/table/confusion_${i}.json`,
      sha256: hex() + hex(),
      size: 2048,
    };
    runs.push({
      name: `r${i.toString(36).padStart(7, "0")}`,
      displayName: `run-${i}-${hex()}`,
      state: STATES[Math.floor(random() * STATES.length)]!,
      tags: baseline ? ["baseline"] : random() < 0.1 ? ["sweep"] : [],
      createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString().slice(0, 19),
      commit: sha,
      description: random() < 0.3 ? "hyper-parameter sweep over learning rate and width" : null,
      group: `group-${i % 50}`,
      jobType: "train",
      host: `gpu-node-${i % 64}`,
      user: { name: "Bench User", username: "bench" },
      config: {
        github_sha: sha,
        lr: Math.round(random() * 1e5) / 1e8,
        batch_size: [32, 64, 128, 256][i % 4],
        optimizer: ["adamw", "sgd", "lion"][i % 3],
        seed: i,
        epochs: 90,
        warmup_steps: 500,
        weight_decay: 0.05,
        label_smoothing: 0.1,
        dataset: { name: "imagenet-1k", split: "train", version: "2024-06" },
        model: { arch: "vit", depth: 12, width: 768, heads: 12, patch: 16, dropout: 0.1 },
        augment: { mixup: 0.8, cutmix: 1.0, randaug: "rand-m9-mstd0.5" },
        scheduler: "cosine",
        precision: "bf16",
        num_gpus: 8,
        data_dir: "/datasets/imagenet",
        output_dir: `/checkpoints/run-${i}`,
      },
      summaryMetrics: metrics,
      systemMetrics: {
        "system.gpu.0.gpu": random() * 100,
        "system.gpu.0.memory": random() * 100,
        "system.gpu.0.temp": 60 + random() * 20,
        "system.cpu": random() * 100,
        "system.memory": random() * 100,
        "system.disk": random() * 100,
        "system.network.sent": random() * 1e9,
        "system.network.recv": random() * 1e9,
        "system.proc.memory.rssMB": random() * 1e4,
        "system.proc.cpu.threads": 64,
      },
    });
  }
  return {
    apiKeys: [BENCH_KEY],
    projects: [{ entity: BENCH_ENTITY, name: BENCH_PROJECT, runs }],
    commits: BENCH_CHAIN.map((sha, i) => ({
      sha,
      parents: i + 1 < BENCH_CHAIN.length ? [BENCH_CHAIN[i + 1]!] : [],
      date: new Date(Date.UTC(2026, 0, 1) - i * 3_600_000).toISOString(),
    })),
  };
}
