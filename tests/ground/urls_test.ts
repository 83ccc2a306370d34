import { appUrlFor, graphqlUrl, runUrl } from "../../lib/ground/urls.ts";
import { assertEquals } from "../_assert.ts";

Deno.test("appUrlFor: as the W&B SDK derives it", () => {
  assertEquals(appUrlFor("https://api.wandb.ai"), "https://wandb.ai");
  assertEquals(appUrlFor("https://api.wandb.ai/"), "https://wandb.ai");
  assertEquals(appUrlFor("https://api.acme.com"), "https://app.acme.com");
  assertEquals(appUrlFor("https://api.wandb.test"), "https://app.wandb.test");
  assertEquals(appUrlFor("http://localhost:8080"), "http://localhost:8080");
  assertEquals(appUrlFor("https://wandb.acme.internal"), "https://wandb.acme.internal");
});

Deno.test("graphqlUrl and runUrl", () => {
  assertEquals(graphqlUrl("https://api.wandb.ai/"), "https://api.wandb.ai/graphql");
  assertEquals(
    runUrl("https://wandb.ai", "my-team", "my-proj", "a1b2cdef"),
    "https://wandb.ai/my-team/my-proj/runs/a1b2cdef",
  );
  // Python's quote(safe="") escapes everything but letters, digits and _.-~
  assertEquals(
    runUrl("https://wandb.ai/", "a b", "p/q", "r!(x)*'"),
    "https://wandb.ai/a%20b/p%2Fq/runs/r%21%28x%29%2A%27",
  );
});
