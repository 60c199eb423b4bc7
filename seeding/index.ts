/**
 * The seeding kit: what `ruche seed` and the benchmark use, never the app at run time
 * (nothing in boot/createApp imports it). Plugins write their seeders with it (their
 * manifest's `seed` loads them lazily): seeder.ts (phases, dependsOn order), kit/ (ids,
 * batched inserts, deterministic random, clock, names and texts in en/fr), bench/ (the
 * bench network), demo/ (the demo network).
 */
export { inLocale, type Pair } from './kit/names';
export { defineSeeder, loadSeeders, type Seeder } from './seeder';
export { SeedRefused } from './refused';
export { Rng, Zipf } from './kit/rng';
export { Clock, DAY, HOUR } from './kit/clock';
export { Writer, TableBuffer } from './kit/writer';
export { Bodies, someOf, sentence, paragraph, shortReply, title, groupName, ascii, TAGS, SKILLS, LANGUAGES, TEAMS, INTERESTS } from './kit/text';
export { seedBench, BENCH_PASSWORD, DEFAULTS, LIMITS, type SeedOptions, type SeedResult, type BenchTargets } from './bench';
export { A, ACCESS, audience, entityRows, placeContent, spread, timesAfter, type EntityRows, type Put } from './bench/entities';
export {
  countsRebuiltAtEnd,
  joinedGroupAt,
  type BenchSeed,
  type BenchHooks,
  type Groups,
  type Members,
  type Visibility,
  type BenchPage,
} from './bench/model';
export type { DemoSeed, DemoHooks, DemoPerson, DemoGroup, DemoPost } from './demo/model';
export { seedDemo, DEMO_PASSWORD, DEMO_MARKER, PARTNER_SLUG, type DemoResult } from './demo';
