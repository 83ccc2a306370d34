// Markdown as GitHub would show it, rendered by marked (an independent
// CommonMark renderer, GitHub's flavour, not ours): for tests that hold
// untrusted text in a comment to no element, link or mention of its own.
import { marked } from "marked";

/** The HTML marked makes of `markdown`, and the names of its elements (lower-cased, in order). */
export function rendered(markdown: string): { html: string; tags: string[] } {
  const html = marked.parse(markdown, { async: false, gfm: true }) as string;
  return {
    html,
    tags: [...html.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase()),
  };
}
