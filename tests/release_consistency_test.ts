// One version everywhere a user reads it: deno.json (and so --version), the
// CHANGELOG's newest release (dated), the README, and the release the
// examples' pinned commits are labelled with.
import meta from "../deno.json" with { type: "json" };
import { assert, assertEquals } from "./_assert.ts";

const read = (path: string) => Deno.readTextFileSync(new URL(`../${path}`, import.meta.url));

Deno.test("release: deno.json, the CHANGELOG, the README and the examples name one version", () => {
  const version = meta.version;
  const changelog = read("CHANGELOG.md");
  const newest = /^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$/m.exec(changelog);
  assert(newest, "the CHANGELOG has a dated release section");
  assertEquals(newest![1], version, "the CHANGELOG's newest release is deno.json's version");
  assert(
    changelog.indexOf("## [Unreleased]") < changelog.indexOf(newest![0]),
    "Unreleased comes first",
  );
  assert(
    changelog.includes(`[${version}]: https://github.com/org/wandb-report/`),
    "a link for the release",
  );
  // Every release label a user copies (`@<sha> # vX.Y.Z`) is this version.
  const docs = [...Deno.readDirSync(new URL("../docs/", import.meta.url))]
    .filter((e) => e.name.endsWith(".md")).map((e) => `docs/${e.name}`);
  const files = [
    "README.md",
    ...docs,
    ...[...Deno.readDirSync(new URL("../examples/", import.meta.url))]
      .filter((e) => e.name.endsWith(".yml")).map((e) => `examples/${e.name}`),
  ];
  const labels = files.flatMap((file) =>
    [...read(file).matchAll(/uses: org\/wandb-report[^\s]*@\S+ # v(\d+\.\d+\.\d+)/g)].map((m) =>
      `${file}: v${m[1]}`
    )
  );
  assert(labels.length > 5, String(labels.length));
  assertEquals(labels.filter((l) => !l.endsWith(`: v${version}`)), []);
  // The install guide names no other version as the one to install.
  assertEquals([...read("docs/install.md").matchAll(/version (\d+\.\d+\.\d+)/g)].map((m) => m[1]), [
    version,
  ]);
});
