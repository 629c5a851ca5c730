// A test that skips says why: every conditional skip goes through skipBecause, which prints the
// reason (vitest shows the line under the test file's name) and returns the condition for
// describe.skipIf / it.skipIf. .ci/run lists the skipped tests by name beside the counts.

/** PostgreSQL-only tests without one (test/helpers/test-store.ts finds it). */
export const NEEDS_POSTGRES =
  'needs PostgreSQL: set TEST_DATABASE_URL (e.g. postgres://root@127.0.0.1:5432/test) or start a Docker engine for testcontainers';

/** `skip`, after printing `reason` when it is true. */
export function skipBecause(skip: boolean, reason: string): boolean {
  if (skip) console.warn(`skipped: ${reason}`);
  return skip;
}
