// lib/github/pulls.ts as a unit, against a loopback GitHub that executes
// GitHub's published GraphQL schema (tests/_github_server.ts): a PR's head
// asked now, the PR a head commit belongs to (and none when two could be),
// and one sticky comment per marker, never a second one, never somebody
// else's.
import { InvalidInputError, NotFoundError } from "../../lib/ground/errors.ts";
import {
  findComment,
  parseRepo,
  prHead,
  pullForHead,
  upsertComment,
} from "../../lib/github/pulls.ts";
import { assertEquals, assertMatch, assertRejects, assertThrows } from "../_assert.ts";
import { REPO, withRepo } from "../_pr.ts";

const HEAD = "b".repeat(40);
const MARKER = "<!-- wandb-report:acme/vision -->";

Deno.test("pulls: owner/name as GitHub allows them, else one input error naming the input", () => {
  assertEquals(parseRepo("acme-ml/vision.v2_x", "GITHUB_REPOSITORY"), {
    owner: "acme-ml",
    name: "vision.v2_x",
  });
  for (
    const text of [undefined, "acme", "acme/vision/x", "a".repeat(40) + "/r", "acme/", "ac me/v"]
  ) {
    const error = assertThrows(() => parseRepo(text, "GITHUB_REPOSITORY"), InvalidInputError);
    assertMatch(error.message, /^GITHUB_REPOSITORY: expected owner\/repository/);
  }
});

Deno.test("pulls: a PR's head is asked of GitHub, a fork's too; a PR GitHub does not show is NotFound naming it", async () => {
  const pulls = [
    { number: 7, headRefOid: HEAD, headRefName: "feature" },
    { number: 8, headRefOid: "c".repeat(40), headRefName: "main", fork: "mallory/vision" },
  ];
  await withRepo({ pulls }, async (client) => {
    const own = await prHead(client, REPO, 7);
    assertEquals([own.headRefOid, own.headRefName, own.isCrossRepository], [
      HEAD,
      "feature",
      false,
    ]);
    const fork = await prHead(client, REPO, 8);
    assertEquals([fork.isCrossRepository, fork.headRepository?.nameWithOwner], [
      true,
      "mallory/vision",
    ]);
    const missing = await assertRejects(() => prHead(client, REPO, 9), NotFoundError);
    assertMatch(
      missing.message,
      /^pull request #9 not found in acme\/vision, or the token cannot see it/,
    );
  });
});

Deno.test("pulls: the PR of a head commit — one, none, or the one from the named branch; never a guess", async () => {
  const pulls = [
    { number: 3, headRefOid: HEAD, headRefName: "feature" },
    { number: 4, headRefOid: HEAD, headRefName: "feature", fork: "mallory/vision" },
    { number: 5, headRefOid: "d".repeat(40), headRefName: "other" },
  ];
  await withRepo({ pulls }, async (client) => {
    const one = await pullForHead(client, REPO, "d".repeat(40));
    assertEquals([one.pr?.number, one.note], [5, undefined]);
    const none = await pullForHead(client, REPO, "e".repeat(40));
    assertMatch(
      none.note!,
      /^no open pull request has head e{40}: no comment; the status goes on the commit$/,
    );
    const named = await pullForHead(client, REPO, HEAD, {
      repository: "acme/vision",
      branch: "feature",
    });
    assertEquals(named.pr?.number, 3);
    assertMatch(
      named.note!,
      /^2 open pull requests have head b{40}: reporting on #3, the one from acme\/vision:feature$/,
    );
    const unnamed = await pullForHead(client, REPO, HEAD);
    assertEquals(unnamed.pr, undefined);
    assertMatch(unnamed.note!, /\(#3, #4\) and nothing tells which one this is: no comment/);
  });
});

Deno.test("pulls: one comment per marker — added, then rewritten in place; a comment somebody else wrote with the marker is not taken", async () => {
  const comments = [
    // Somebody pasted our marker into a comment of theirs.
    { id: "IC_1", author: "ana", body: `${MARKER}\nall green, trust me`, pr: 7 },
  ];
  const pulls = [{ number: 7, headRefOid: HEAD, headRefName: "feature" }];
  const github = await withRepo({ pulls, comments }, async (client) => {
    const first = await upsertComment(client, REPO, 7, MARKER, `${MARKER}\nreport 1`);
    assertEquals(first.action, "created");
    const second = await upsertComment(client, REPO, 7, MARKER, `${MARKER}\nreport 2`);
    assertEquals([second.action, "url" in second && second.url], [
      "updated",
      "url" in first && first.url,
    ]);
    const same = await upsertComment(
      client,
      REPO,
      7,
      MARKER,
      `${MARKER}\nreport 2`,
      (found) =>
        found?.body === `${MARKER}\nreport 2`
          ? { write: false, action: "unchanged", reason: "the same report" }
          : { write: true },
    );
    assertEquals(same, {
      action: "unchanged",
      url: "url" in first ? first.url : "",
      reason: "the same report",
    });
    // The earlier body is offered to amend the next.
    let earlier: string | undefined;
    await upsertComment(client, REPO, 7, MARKER, "ignored", undefined, (body) => {
      earlier = body;
      return `${MARKER}\nreport 3`;
    });
    assertEquals(earlier, `${MARKER}\nreport 2`);
  });
  assertEquals(github.comments.map((c) => [c.author, c.body]), [
    ["ana", `${MARKER}\nall green, trust me`],
    ["github-actions[bot]", `${MARKER}\nreport 3`],
  ]);
});

Deno.test("pulls: an add whose answer is lost is looked up, not sent twice", async () => {
  const pulls = [{ number: 7, headRefOid: HEAD, headRefName: "feature" }];
  const github = await withRepo({ pulls }, async (client, server) => {
    server.faults.push({
      status: 502,
      times: 1,
      operation: "WandbReportAddComment",
      afterHandling: true,
    });
    const result = await upsertComment(client, REPO, 7, MARKER, `${MARKER}\nreport`);
    assertEquals(result.action, "created");
    assertEquals(server.faults[0]!.times, 0, "the answer was lost");
  });
  assertEquals(github.comments.length, 1);
  assertEquals(github.requests.filter((r) => r === "WandbReportAddComment").length, 1);
});

Deno.test("pulls: our newest marked comment is found however far back it is", async () => {
  const comments = [
    { id: "IC_old", author: "github-actions[bot]", body: `${MARKER}\nold report`, pr: 7 },
    ...Array.from({ length: 250 }, (_, i) => ({
      id: `IC_${i}`,
      author: "ana",
      body: `comment ${i}`,
      pr: 7,
    })),
  ];
  const pulls = [{ number: 7, headRefOid: HEAD, headRefName: "feature" }];
  const github = await withRepo({ pulls, comments }, async (client) => {
    const { comment } = await findComment(client, REPO, 7, MARKER);
    assertEquals(comment?.body, `${MARKER}\nold report`);
  });
  // 251 comments, 100 a page, from the newest back.
  assertEquals(github.requests.filter((r) => r === "WandbReportFindComments").length, 3);
});
