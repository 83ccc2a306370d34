// The package as JSR users get it: only the files `deno publish` ships,
// served over HTTP from a local file server and loaded from there (with the
// import map applied, as JSR's publish rewrites bare specifiers), never from
// this checkout. `--help`, `--version`, the demo, the emulator and a report
// must all work from it, and a run without permissions says which flag to add.
import { dirname } from "node:path";
import { API_KEY, npmCache, runProcess, SHA, withEmulator } from "../_helpers.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));

/** The files `deno publish` would upload, relative to the repository. */
async function publishedFiles(): Promise<string[]> {
  const out = await runProcess(Deno.execPath(), ["publish", "--dry-run", "--allow-dirty"], {
    cwd: ROOT,
    env: { NO_COLOR: "1" },
  });
  const text = out.stdout + out.stderr;
  const files = [...text.matchAll(/^\s+file:\/\/(\S+) \(/gm)].map((m) => m[1]!.slice(ROOT.length));
  assert(out.code === 0 && files.length > 10, text);
  return files;
}

interface Package {
  url: string;
  importMap: string;
  files: string[];
  /** The DENO_DIR its runs cache in (see {@link cacheDir}). */
  denoDir: string;
  close(): Promise<void>;
}

/**
 * A DENO_DIR of the package's own, sharing only the npm packages already
 * downloaded: Deno caches a remote module by its URL, and the server's port
 * is new each run, so in the user's DENO_DIR every run of this test left
 * ~3.5 MB of copies of our modules behind.
 */
async function cacheDir(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "wandb-published-deno-" });
  await Deno.symlink(await npmCache(), `${dir}/npm`);
  return dir;
}

/** Copies the published files to a fresh folder and serves it on 127.0.0.1. */
async function servePackage(): Promise<Package> {
  const files = await publishedFiles();
  const dir = await Deno.makeTempDir({ prefix: "wandb-published-" });
  for (const file of files) {
    await Deno.mkdir(`${dir}/${file}`.replace(/\/[^/]+$/, ""), { recursive: true });
    await Deno.copyFile(`${ROOT}${file}`, `${dir}/${file}`);
  }
  const types: Record<string, string> = { ts: "application/typescript", json: "application/json" };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname).replace(/^\/+/, "");
    if (!files.includes(path)) return new Response("not published", { status: 404 });
    return new Response(await Deno.readFile(`${dir}/${path}`), {
      headers: { "content-type": types[path.split(".").at(-1)!] ?? "text/plain" },
    });
  });
  const denoDir = await cacheDir();
  const importMap = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(importMap, JSON.stringify({ imports: withSubpaths(config.imports) }));
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    importMap,
    files,
    denoDir,
    close: async () => {
      await server.shutdown();
      await Deno.remove(dir, { recursive: true });
      await Deno.remove(importMap);
      // The link to the npm cache goes, never what it points to.
      await Deno.remove(denoDir, { recursive: true });
    },
  };
}

/**
 * The import map as deno.json's resolver applies it (and so as JSR's publish
 * rewrites): an `npm:` entry also maps its package's subpaths (`json5/dist/…`),
 * which a plain import map file needs spelled out as a `name/` entry.
 */
function withSubpaths(imports: Record<string, string>): Record<string, string> {
  const subpaths = Object.entries(imports)
    .filter(([, target]) => target.startsWith("npm:"))
    .map(([name, target]) => [`${name}/`, `${target.replace(/^npm:\/?/, "npm:/")}/`]);
  return { ...imports, ...Object.fromEntries(subpaths) };
}

function run(
  pkg: Package,
  entry: string,
  args: string[],
  opts: { permissions?: string[]; env?: Record<string, string>; cwd: string },
) {
  return runProcess(Deno.execPath(), [
    "run",
    "--quiet",
    "--no-config",
    `--import-map=${pkg.importMap}`,
    `--allow-import=${new URL(pkg.url).host}`,
    ...(opts.permissions ??
      ["--allow-net=127.0.0.1", "--allow-env", "--allow-read", "--allow-write"]),
    `${pkg.url}/${entry}`,
    ...args,
  ], { cwd: opts.cwd, env: { NO_COLOR: "1", DENO_DIR: pkg.denoDir, ...opts.env } });
}

Deno.test("published package: only what a JSR user can import or run is shipped", async () => {
  const files = await publishedFiles();
  for (const file of files) {
    assert(!/(^|\/)tests?\/|_test\.ts$|^bench\/|^tasks\/|^\.github\//.test(file), file);
  }
  for (const entry of Object.values(config.exports as Record<string, string>)) {
    assert(files.includes(entry.replace(/^\.\//, "")), entry);
  }
  assert(files.includes("fixtures/demo.json"), "the demo's fixture ships with the package");
});

Deno.test("published package: --help, --version, the demo, the emulator and a report, over HTTP", async () => {
  const pkg = await servePackage();
  const cwd = await Deno.makeTempDir();
  try {
    const help = await run(pkg, "mod.ts", ["--help"], { cwd, permissions: [] });
    assertEquals(help.code, 0, help.stderr);
    assertStringIncludes(help.stdout, "Usage: wandb-report --project entity/project");

    const version = await run(pkg, "mod.ts", ["--version"], { cwd, permissions: [] });
    assertEquals(version.stdout, `@org/wandb-report ${config.version}\n`);

    const bare = await run(pkg, "mod.ts", ["--project", "a/b", "--sha", "abc1234"], {
      cwd,
      permissions: [],
    });
    assertEquals(bare.code, 2);
    assertEquals(
      bare.stderr,
      'error: permissions: expected --allow-env on the deno run command (it needs env access to "INPUT_WANDB_API_KEY")\n',
    );

    // graphql (the emulator's engine) reads NODE_ENV as it loads.
    const emulatorHelp = await run(pkg, "emulator.ts", ["--help"], {
      cwd,
      permissions: ["--allow-env=NODE_ENV"],
    });
    assertStringIncludes(emulatorHelp.stdout, "Usage: wandb-report-emulator [--fixture FILE]");

    const demo = await run(pkg, "demo.ts", [], { cwd });
    assertEquals(demo.code, 0, demo.stderr);
    assertMatch(demo.stdout, /^candidate {2}c4nd1dt1 {2}pr-412-seed-1 .* finished /m);
    assertStringIncludes(demo.stderr, "The runs came from the W&B emulator at http://127.0.0.1:");
    assertStringIncludes(demo.stderr, `wrote ${await Deno.realPath(cwd)}/wandb_report.csv: 8 rows`);
    assertStringIncludes(await Deno.readTextFile(`${cwd}/wandb_report.csv`), "c4nd1dt1");

    // deno install -g, as the README shows, from the served package.
    const root = `${cwd}/install`;
    const installed = await runProcess(Deno.execPath(), [
      "install",
      "-g",
      "-n",
      "wandb-report",
      "--root",
      root,
      "--no-config",
      `--import-map=${pkg.importMap}`,
      `--allow-import=${new URL(pkg.url).host}`,
      "--allow-net=127.0.0.1",
      "--allow-env",
      "--allow-read=.",
      "--allow-write=.",
      `${pkg.url}/mod.ts`,
    ], { cwd, env: { DENO_DIR: pkg.denoDir } });
    assertEquals(installed.code, 0, installed.stderr);
    // The installed command runs `deno` by name: the Deno under test comes
    // first on PATH, wherever this one was started from.
    const shim = await runProcess(`${root}/bin/wandb-report`, ["--version"], {
      cwd,
      env: {
        PATH: `${dirname(Deno.execPath())}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
        DENO_DIR: pkg.denoDir,
      },
    });
    assertEquals(
      [shim.code, shim.stdout],
      [0, `@org/wandb-report ${config.version}\n`],
      `the installed command: ${shim.stderr}`,
    );

    await withEmulator({}, async (emulator) => {
      const report = await run(
        pkg,
        "mod.ts",
        ["--project", "acme/vision", "--sha", SHA, "--baseline-tags", "baseline"],
        { cwd, env: { WANDB_API_KEY: API_KEY, WANDB_BASE_URL: emulator.url } },
      );
      assertEquals(report.code, 0, report.stderr);
      assertMatch(report.stderr, /candidates: 7 \(2 finished/);
    });
  } finally {
    await pkg.close();
    await Deno.remove(cwd, { recursive: true });
  }
});
