// Hostile servers and hostile run data, one regression test per class of
// defect: endless paging, huge answers, workflow commands from data, secrets
// echoed back, URL tricks, spreadsheet formulas, prototype names, deep
// nesting, unwritable destinations, half-written files.
import { parse as parseCsv } from "csv-parse/sync";
import { isCommandLine } from "../../lib/ground/actions.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import {
  API_KEY,
  type CliRun,
  PROJECT,
  run,
  runCli,
  SHA,
  spawnReport,
  testFixture,
  withEmulator,
} from "../_helpers.ts";
import { json, node, page, startHostileServer } from "../_hostile_server.ts";

const BASIC = btoa(`api:${API_KEY}`);

/** Exit 3, one error line, and nothing written. */
function assertFailedClean(r: CliRun, message: RegExp) {
  assertEquals(r.code, 3, r.stderr);
  assertMatch(r.stderr.trim(), message);
  assertEquals(r.stderr.trim().split("\n").length, 1, r.stderr);
  assertEquals(r.csv, undefined, "no CSV");
  assertEquals(r.githubOutput, "", "no outputs");
  assertEquals(r.files, ["github_output"], "no temporary file left");
}

Deno.test("pager: a server that cycles cursors, repeats runs or never ends is stopped, exit 3", async (t) => {
  const cases: [string, (n: number) => unknown, RegExp, number][] = [
    [
      "alternating cursors",
      (n) => page([node(`r${n}`)], [n % 2 ? "A" : "B"], true),
      /^error: W&B at 127\.0\.0\.1:\d+ kept paging the candidates: it handed out cursor "A" again \(page 3, 2 runs\); stopped rather than loop$/,
      3,
    ],
    [
      "fresh cursors over the same runs",
      (n) => page([node("r1")], [`c${n}`], true),
      /kept paging the candidates: a page held only runs it had already sent \(page 2, 1 runs\)/,
      2,
    ],
    [
      "more pages than its run count",
      (n) => page([node(`r${n}`)], [`c${n}`], true, 5),
      /kept paging the candidates: more pages than its run count allows \(12\)/,
      12,
    ],
    [
      "no count, endless new runs",
      (n) => page([node(`r${n}`)], [`c${n}`], true),
      /more pages than its run count allows \(410\)/,
      410,
    ],
  ];
  for (const [name, answer, message, requests] of cases) {
    await t.step(name, async () => {
      const server = startHostileServer((n) => json(answer(n)));
      try {
        const r = await runCli(server, [...PROJECT, "--sha", SHA, "--page-size", "1000"]);
        assertFailedClean(r, message);
        assertEquals(server.requests, requests, "bounded requests");
      } finally {
        await server.close();
      }
    });
  }
});

Deno.test("size cap: an endless answer is refused while it is read, exit 3", async () => {
  const chunk = new TextEncoder().encode(`{"data":{"project":{"x":"${"y".repeat(65_000)}`);
  const server = startHostileServer(() =>
    new Response(new ReadableStream({ pull: (c) => c.enqueue(chunk) }), {
      headers: { "content-type": "application/json" },
    })
  );
  try {
    const r = await runCli(server, [...PROJECT, "--sha", SHA, "--max-response-mb", "1"]);
    assertFailedClean(
      r,
      /^error: W&B at 127\.0\.0\.1:\d+ answered more than 1 MiB in one response; stopped reading \(raise --max-response-mb/,
    );
    assertEquals(server.requests, 1, "not retried: the same request brings the same answer");
  } finally {
    await server.close();
  }
});

const INJECTIONS = [
  "::error::pwned-1",
  "x\n::warning::pwned-2",
  "x\r::notice::pwned-3",
  "x\r\n  ::add-mask::pwned-4",
  "x ##[error]pwned-5",
  "\u3000::error::pwned-6",
  "::stop-commands::pwned-7",
];

/** Reads a stream as the runner does and returns the lines it would run that are not ours. */
function foreignCommands(text: string): string[] {
  const bad: string[] = [];
  let stopped: string | undefined;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (stopped !== undefined) {
      if (line.trim() === `::${stopped}::`) stopped = undefined;
      continue;
    }
    const stop = line.trim().match(/^::stop-commands::(wandb-report-[0-9a-f]{32})$/);
    if (stop) {
      stopped = stop[1];
      continue;
    }
    if (!isCommandLine(line)) continue;
    const ours = line.startsWith("::add-mask::") ||
      (/^::(notice|warning|error)::/.test(line) && !line.includes("##["));
    if (!ours) bad.push(line);
  }
  return bad;
}

Deno.test("no workflow command from data: run fields, metric names, server messages, every format", async () => {
  const hostile = INJECTIONS.map((text, i) =>
    run(`hstl000${i}`, "finished", {
      sha: SHA,
      displayName: text,
      tags: [text, "baseline"],
      metrics: { accuracy: text, [text]: 1 },
      config: { lr: text, [text]: text },
    })
  );
  const fixture = testFixture(hostile);
  for (const r of fixture.projects![0]!.runs!) {
    (r as { description?: string }).description = INJECTIONS[0];
  }
  await withEmulator({ fixture }, async (emulator) => {
    const base = [...PROJECT, "--sha", SHA, "--baseline-tags", "baseline", "--debug"];
    const lists = [
      "--metrics",
      JSON.stringify(["accuracy", ...INJECTIONS]),
      "--config-vars",
      JSON.stringify(["lr", ...INJECTIONS]),
    ];
    for (const actions of ["true", ""]) {
      for (const format of [[], ["--json"], ["--format", "csv"], ["--format", "markdown"]]) {
        const r = await runCli(emulator, [...base, ...lists, ...format, "--gate", "accuracy:max"], {
          env: { GITHUB_ACTIONS: actions },
        });
        assert([0, 1].includes(r.code), r.stderr);
        // Outside Actions no runner reads stdout; raw CSV and markdown stay raw there.
        if (actions || format[0] === "--json") {
          assertEquals(foreignCommands(r.stdout), [], `stdout ${format} ${actions}`);
        }
        assertEquals(foreignCommands(r.stderr), [], `stderr ${format} ${actions}`);
        if (format[0] === "--json") {
          const doc = JSON.parse(r.stdout);
          assertEquals(
            doc.candidates.find((c: { id: string }) => c.id === "hstl0004").name,
            INJECTIONS[4],
          );
        }
      }
    }
    // A server's error message is data too.
    emulator.injectFaults([{
      status: 400,
      body: JSON.stringify({ errors: [{ message: "bad\n::error::pwned-8 ##[group]x" }] }),
    }]);
    const err = await runCli(emulator, base, { env: { GITHUB_ACTIONS: "true" } });
    assertEquals(err.code, 3);
    assertEquals(foreignCommands(err.stderr), []);
    // One annotation: the message's line break is escaped, the legacy command broken up.
    assertMatch(
      err.stderr,
      /^::error::W&B at .* \(HTTP 400\): bad%0A::error::pwned-8 ##\\\[group\]x$/m,
    );
  });
});

Deno.test("run-id mode: the SHA read from a run's config is validated before it is an output", async () => {
  const fixture = testFixture([
    run("evil0001", "finished", { sha: "abc\n::error::pwned" }),
    run("good0001", "finished", { sha: "v1.2.3" }),
  ]);
  await withEmulator({ fixture }, async (emulator) => {
    const evil = await runCli(emulator, [...PROJECT, "--run-id", "evil0001"], {
      env: { GITHUB_ACTIONS: "true" },
    });
    assertEquals(evil.code, 0, evil.stderr);
    assertEquals(evil.outputs.SHA, "");
    assertMatch(evil.stderr, /^::notice::run evil0001's config github_sha is not a commit SHA/m);
    assertEquals(foreignCommands(evil.stderr), []);
    const good = await runCli(emulator, [...PROJECT, "--run-id", "good0001"]);
    assertEquals(good.outputs.SHA, "v1.2.3");
  });
});

Deno.test("secrets: one redactor for every output, inside Actions or not", async () => {
  const server = startHostileServer((_n, _body, request) => {
    const auth = request.headers.get("authorization") ?? "";
    const key = atob(auth.replace(/^Basic /, "")).replace(/^api:/, "");
    return json({ errors: [{ message: `you sent ${auth} (key ${key})` }] }, 400);
  });
  try {
    for (const actions of ["", "true"]) {
      const r = await runCli(server, [...PROJECT, "--sha", SHA, "--debug"], {
        env: { GITHUB_ACTIONS: actions },
      });
      assertEquals(r.code, 3);
      const shown = actions
        ? r.stderr.split("\n").filter((l) => !l.startsWith("::add-mask::")).join("\n")
        : r.stderr;
      assert(!shown.includes(API_KEY) && !shown.includes(BASIC), shown);
      assertStringIncludes(shown, "you sent Basic *** (key ***)");
    }
  } finally {
    await server.close();
  }
  // Data that carries the key (a run named after it) is redacted in every file too.
  const fixture = testFixture([run("leak0001", "finished", { sha: SHA, displayName: API_KEY })]);
  await withEmulator({ fixture }, async (emulator) => {
    const r = await runCli(emulator, [...PROJECT, "--sha", SHA, "--json"]);
    for (const text of [r.stdout, r.stderr, r.csv ?? "", r.githubOutput]) {
      assert(!text.includes(API_KEY), text.slice(0, 200));
    }
    assertStringIncludes(r.csv!, "***");
  });
  // The mask command is %-escaped as the runner unescapes it.
  await withEmulator(
    { fixture: { apiKeys: ["50%25off\u0025keyZq7mW2xP9vL4nK8sT"], projects: [] } },
    async (emulator) => {
      const r = await runCli(emulator, [...PROJECT, "--sha", SHA], {
        env: { WANDB_API_KEY: "50%25off%keyZq7mW2xP9vL4nK8sT", GITHUB_ACTIONS: "true" },
      });
      assertEquals(r.stderr.split("\n")[0], "::add-mask::50%2525off%25keyZq7mW2xP9vL4nK8sT");
    },
  );
  // Credentials in a URL are an input error, and never echoed.
  const url = await runCli({ url: "http://127.0.0.1:9" }, [...PROJECT, "--sha", SHA], {
    env: { WANDB_BASE_URL: "http://tok3n-name:s3cr3tpw@127.0.0.1:9" },
  });
  assertEquals(url.code, 2);
  assertMatch(url.stderr, /^error: WANDB_BASE_URL: expected a URL without user:password@/);
  assert(!url.stderr.includes("s3cr3tpw") && !url.stderr.includes("tok3n-name"), url.stderr);
});

Deno.test("https for wandb.ai is decided on the parsed, normalised host", async () => {
  const bad = [
    "http://API.WANDB.AI",
    "http://api.wandb.ai:80",
    "http://api.wandb.ai.",
    "http://api.wandb.ai/graphql",
    "http://api%2Ewandb%2Eai",
    "http://api\uff0ewandb\uff0eai",
    "http://api\u3002wandb\u3002ai",
    "https://wandb.ai/path",
    "https://APP.wandb.ai",
    "https://api.wandb.ai/?x=1",
  ];
  for (const base of bad) {
    const r = await runCli({ url: "http://127.0.0.1:9" }, [...PROJECT, "--sha", SHA], {
      env: { WANDB_BASE_URL: base },
    });
    assertEquals(r.code, 2, `${base}: ${r.stderr}`);
    assertMatch(r.stderr, /^error: WANDB_BASE_URL: expected /);
  }
});

Deno.test("CSV: no cell can become a spreadsheet formula; numbers stay numbers", async () => {
  const fixture = testFixture([
    run("frml0001", "finished", {
      sha: SHA,
      displayName: '=HYPERLINK("http://x","y")',
      tags: ["@SUM(1)"],
      metrics: { accuracy: -0.5, loss: "+cmd" },
      config: { lr: "-2", model: "\tx\u0000y" },
    }),
  ]);
  await withEmulator({ fixture }, async (emulator) => {
    const r = await runCli(emulator, [
      ...PROJECT,
      "--sha",
      SHA,
      "--metrics",
      "accuracy, loss",
      "--config-vars",
      "lr, model",
    ]);
    const row = r.records.find((x) => x["run.id"] === "frml0001")!;
    assertEquals(row["run.name"], '\'=HYPERLINK("http://x","y")');
    assertEquals(row["run.tags"], '["@SUM(1)"]');
    assertEquals(row.accuracy, "-0.5");
    assertEquals(row.loss, "'+cmd");
    assertEquals(row._lr, "'-2");
    assertEquals(row._model, "'\txy");
    for (const record of r.records) {
      for (const value of Object.values(record)) {
        assert(!/^[=+@\t\r]/.test(value) && !value.includes("\0"), value);
      }
    }
  });
});

Deno.test("no exit 70 from inputs or data", async (t) => {
  await t.step("prototype names as metrics and keys", async () => {
    await withEmulator({}, async (emulator) => {
      const r = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        SHA,
        "--metrics",
        "toString, constructor, __proto__",
        "--config-vars",
        "hasOwnProperty",
        "--direction",
        "accuracy=max",
        "--gate",
        "valueOf:max:missing=pass",
        "--json",
      ]);
      assertEquals(r.code, 0, r.stderr);
      assertEquals(r.records[0]!.toString, "");
      assertEquals(JSON.parse(r.stdout).candidates[0].metrics, {});
      // The markdown looks metrics up the same way: missing, not an inherited function.
      const md = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        SHA,
        "--baseline-tags",
        "baseline",
        "--metrics",
        "toString",
        "--format",
        "markdown",
      ]);
      assertEquals(md.code, 0, md.stderr);
      assertEquals(md.stdout.includes("(nested)"), false, md.stdout);
      assertMatch(md.stdout, /\| — \|/);
    });
  });
  await t.step("a value nested 20,000 levels deep", async () => {
    const deep = "[".repeat(20_000) + "]".repeat(20_000);
    const server = startHostileServer(() =>
      json(page(
        [node("deep0001", {
          config: `{"github_sha":{"value":"${SHA}"},"model":{"value":${deep}}}`,
          summaryMetrics: `{"accuracy":${deep}}`,
        })],
        ["c0"],
        false,
      ))
    );
    try {
      for (const format of ["json", "markdown"]) {
        const r = await runCli(server, [
          ...PROJECT,
          "--sha",
          SHA,
          "--metrics",
          "accuracy",
          "--config-vars",
          "model",
          "--format",
          format,
        ]);
        assertEquals(r.code, 0, r.stderr);
        assertStringIncludes(r.records[0]!._model!, "[nested too deep]");
      }
    } finally {
      await server.close();
    }
  });
  await t.step("an API key outside printable ASCII is exit 2", async () => {
    const r = await runCli({ url: "http://127.0.0.1:9" }, [...PROJECT, "--sha", SHA], {
      env: { WANDB_API_KEY: "ключ-Zq7mW2xP9vL4nK8sT" },
    });
    assertEquals(r.code, 2, r.stderr);
    assertMatch(r.stderr, /^error: WANDB_API_KEY: expected an API key without spaces/);
  });
  await t.step(
    "unwritable GITHUB_OUTPUT or GITHUB_STEP_SUMMARY is exit 2 naming it, nothing written",
    async () => {
      await withEmulator({}, async (emulator) => {
        const dir = await Deno.makeTempDir();
        try {
          for (
            const [name, path] of [["GITHUB_OUTPUT", dir], [
              "GITHUB_STEP_SUMMARY",
              "/nonexistent/s.md",
            ]]
          ) {
            const r = await runCli(emulator, [...PROJECT, "--sha", SHA], { env: { [name]: path } });
            assertEquals(r.code, 2, r.stderr);
            assertMatch(
              r.stderr,
              new RegExp(`^error: ${name}: expected a file this step may append to`),
            );
            assertEquals(r.csv, undefined);
            assertEquals(emulator.stats.requests, 0, "checked before anything is fetched");
          }
        } finally {
          await Deno.remove(dir, { recursive: true });
        }
      });
    },
  );
  await t.step("a closed stdout (| head) ends quietly", async () => {
    await withEmulator({}, async (emulator) => {
      const dir = await Deno.makeTempDir();
      try {
        const child = spawnReport([...PROJECT, "--sha", SHA, "--format", "csv"], {
          cwd: dir,
          wandbUrl: emulator.url,
          stdout: "piped",
        });
        await child.stdout.cancel(); // the reader went away before the first byte
        const [status, stderr] = await Promise.all([
          child.status,
          new Response(child.stderr).text(),
        ]);
        assertEquals(status.code, 0, stderr);
        assert(!/internal error|BrokenPipe|stack/i.test(stderr), stderr);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  });
});

Deno.test("nothing half-written: every destination checked first; a failed comment is a warning", async (t) => {
  await t.step("--markdown unwritable: exit 2, no CSV, no outputs", async () => {
    await withEmulator({}, async (emulator) => {
      const r = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        SHA,
        "--markdown",
        "/nonexistent/r.md",
      ]);
      assertEquals(r.code, 2, r.stderr);
      assertMatch(r.stderr, /^error: --markdown: expected a writable file path/);
      assertEquals([r.csv, r.githubOutput, r.files], [undefined, "", ["github_output"]]);
    });
  });
  await t.step("a device is never replaced: --markdown /dev/null is an error", async () => {
    const r = await runCli({ url: "http://127.0.0.1:9" }, [
      ...PROJECT,
      "--sha",
      SHA,
      "--markdown",
      "/dev/null",
    ]);
    assertEquals(r.code, 2, r.stderr);
    assertMatch(
      r.stderr,
      /^error: --markdown: expected a writable file path, got "\/dev\/null" \(not a regular file\)/,
    );
    assert((await Deno.stat("/dev/null")).isCharDevice, "/dev/null is still a device");
  });
  await t.step("--out newdir/ that does not exist is an error", async () => {
    const r = await runCli({ url: "http://127.0.0.1:9" }, [
      ...PROJECT,
      "--sha",
      SHA,
      "--out",
      "/tmp/no-such-dir-wr/",
    ]);
    assertEquals(r.code, 2, r.stderr);
    assertMatch(
      r.stderr.trim(),
      /^error: --out: expected a writable file path, got "\/tmp\/no-such-dir-wr\/" \(no such directory\)$/,
    );
  });
  await t.step(
    "a failed --comment after a good report: warning, exit 0, everything written",
    async () => {
      const github = startHostileServer(() => json({ message: "boom" }, 502));
      try {
        await withEmulator({}, async (emulator) => {
          const r = await runCli(emulator, [
            ...PROJECT,
            "--sha",
            SHA,
            "--comment",
            "--pr-number",
            "7",
            "--max-attempts",
            "1",
          ], {
            env: {
              GITHUB_TOKEN: "ghs_faketoken1234567890",
              GITHUB_REPOSITORY: "o/r",
              GITHUB_GRAPHQL_URL: `${github.url}/graphql`,
              GITHUB_ACTIONS: "true",
            },
          });
          assertEquals(r.code, 0, r.stderr);
          assertMatch(r.stderr, /^::warning::the PR comment was not posted: /m);
          assert(r.csv !== undefined && r.outputs.NUM_FINISHED === "2");
        });
      } finally {
        await github.close();
      }
    },
  );
  await t.step("the default path does not follow a symlink to a directory", async () => {
    await withEmulator({}, async (emulator) => {
      const dir = await Deno.makeTempDir();
      try {
        await Deno.mkdir(`${dir}/elsewhere`);
        await Deno.symlink(`${dir}/elsewhere`, `${dir}/wandb_report.csv`);
        const { runReportCli } = await import("../../lib/cli/mod.ts");
        let stderr = "";
        const code = await runReportCli([...PROJECT, "--sha", SHA], {
          env: { WANDB_API_KEY: API_KEY, WANDB_BASE_URL: emulator.url, GITHUB_WORKSPACE: dir },
          stdout: () => {},
          stderr: (s) => (stderr += s),
        });
        assertEquals(code, 0, stderr);
        assertEquals(
          [...Deno.readDirSync(`${dir}/elsewhere`)],
          [],
          "nothing written through the link",
        );
        const info = await Deno.lstat(`${dir}/wandb_report.csv`);
        assert(info.isFile, "the link was replaced by the report");
        assertEquals(
          parseCsv(await Deno.readTextFile(`${dir}/wandb_report.csv`), { columns: true }).length,
          2,
        );
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  });
  await t.step("SIGINT while fetching removes the temporary files", async () => {
    let arrived!: () => void;
    const request = new Promise<void>((resolve) => (arrived = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const server = startHostileServer(async () => {
      arrived();
      await held;
      return json(page([], [], false));
    });
    const dir = await Deno.makeTempDir();
    try {
      const child = spawnReport([...PROJECT, "--sha", SHA], {
        cwd: dir,
        wandbUrl: server.url,
        stdout: "null",
      });
      await request; // the report is waiting for W&B: its temp file exists now
      const before = [...Deno.readDirSync(dir)].map((e) => e.name);
      assertEquals(before.length, 1, "one temporary file while the report waits");
      assertMatch(before[0]!, /^\.wandb_report\.csv\.\d+\.[0-9a-f]{8}\.tmp$/);
      child.kill("SIGINT");
      const [status] = await Promise.all([child.status, new Response(child.stderr).text()]);
      assertEquals(status.code, 130);
      assertEquals([...Deno.readDirSync(dir)], [], "nothing left behind");
    } finally {
      release();
      await server.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
});
