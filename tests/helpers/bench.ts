/**
 * What the bench seed's tests (tests/cli/seed.test.ts) and the page bench's smoke test
 * (tests/bench/smoke.test.ts) both expect: the pages every bench seed declares in
 * bench-targets.json, in the contract's order (seeding/bench/targets.ts).
 */
export const SEEDED_PAGES = [
  'home feed',
  'network feed',
  'group page',
  'topic first page',
  'topic last page',
  'profile page',
  'directory search',
  'blog post',
] as const;
