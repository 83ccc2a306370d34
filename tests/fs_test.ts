import { writeFileAtomic } from "../lib/fs.ts";
import { assertEquals, assertRejects } from "./_assert.ts";

Deno.test("writeFileAtomic: writes, replaces, leaves no temp file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/report.csv`;
    assertEquals(await writeFileAtomic(path, "one\n"), path);
    await writeFileAtomic(path, "two\n");
    assertEquals(await Deno.readTextFile(path), "two\n");
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["report.csv"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic: a directory target gets the fallback name", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assertEquals(await writeFileAtomic(dir, "x", "wandb_report.csv"), `${dir}/wandb_report.csv`);
    assertEquals(await Deno.readTextFile(`${dir}/wandb_report.csv`), "x");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic: a failed write leaves nothing behind", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assertRejects(() => writeFileAtomic(`${dir}/missing/sub/report.csv`, "x"), Error);
    assertEquals([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
