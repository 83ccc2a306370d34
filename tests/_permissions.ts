// GitHub's rule for calling a reusable workflow: each called job may ask for
// no more than the calling job grants, whatever its `if:` (GitHub refuses the
// run at startup otherwise). A job that asks nothing takes the caller's grant.
import { parse as parseYaml } from "yaml";

// deno-lint-ignore no-explicit-any
type Yaml = any;

const LEVELS: Record<string, number> = { none: 0, read: 1, write: 2 };

/** `permissions:` as a map of scope → level (`read-all`/`write-all` spelled out). */
function scopes(permissions: Yaml): Record<string, number> | undefined {
  if (permissions === undefined || permissions === null) return undefined;
  if (typeof permissions === "string") {
    const level = permissions === "write-all" ? 2 : permissions === "read-all" ? 1 : 0;
    return new Proxy({}, { get: () => level });
  }
  return Object.fromEntries(
    Object.entries(permissions as Record<string, string>).map(([k, v]) => [k, LEVELS[v] ?? 0]),
  );
}

/**
 * The violations of the rule by every job of `caller` that calls `calleeRef`:
 * "job X grants pull-requests: none, but the called job Y asks write". A
 * calling job that grants nothing explicitly (neither it nor its workflow
 * says) is a violation too: its grant would be the repository's default.
 */
export function nestedPermissionViolations(
  caller: string,
  callee: string,
  calleeRef: string,
): string[] {
  const callerDoc = parseYaml(caller) as Yaml;
  const calleeDoc = parseYaml(callee) as Yaml;
  const problems: string[] = [];
  for (const [id, job] of Object.entries(callerDoc.jobs ?? {}) as [string, Yaml][]) {
    if (typeof job.uses !== "string" || !job.uses.startsWith(`${calleeRef}@`)) continue;
    const grant = scopes(job.permissions ?? callerDoc.permissions);
    if (!grant) {
      problems.push(`job ${id} grants no explicit permissions (the repository default applies)`);
      continue;
    }
    const calleeTop = scopes(calleeDoc.permissions);
    for (const [calledId, called] of Object.entries(calleeDoc.jobs ?? {}) as [string, Yaml][]) {
      const asks = scopes(called.permissions) ?? calleeTop;
      if (!asks || typeof called.permissions === "string") {
        if (typeof called.permissions === "string") {
          problems.push(`called job ${calledId} asks ${called.permissions}`);
        }
        continue;
      }
      for (const [scope, level] of Object.entries(asks)) {
        if (level > (grant[scope] ?? 0)) {
          const name = (n: number) => Object.keys(LEVELS).find((k) => LEVELS[k] === n);
          problems.push(
            `job ${id} grants ${scope}: ${name(grant[scope] ?? 0)}, but the called job ` +
              `${calledId} asks ${name(level)}`,
          );
        }
      }
    }
  }
  return problems;
}

/** The effective permissions of each called job: its own, else the caller's grant. */
export function effectivePermissions(
  grant: Record<string, string>,
  calledJob: Yaml,
): Record<string, string> {
  return calledJob.permissions ?? grant;
}
