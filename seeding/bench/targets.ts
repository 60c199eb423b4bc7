/**
 * `<dataDir>/bench-targets.json`: what the page benchmark (bench/run.ts) measures on a
 * seeded network. The contract, exactly:
 *
 * ```json
 * { "seed": 1, "members": 10000, "entities": 300000, "groups": 1000,
 *   "password": "<the shared password of bench members>",
 *   "pages": [ { "name": "home feed", "path": "/...", "as": "<username>" }, ... ],
 *   "login": { "username": "<username>" } }
 * ```
 *
 * Pages, all answering 200 for the member named in `as` (the one in `login`, signed in with
 * `password`): "home feed" (/feed, for a member who follows 300 people and is in 40 groups),
 * "network feed" (/activity), "group page" (the busiest open group, which the member
 * belongs to), "topic first page" and "topic last page" (a topic with 1,000+ replies;
 * `?page=N` is its real last page), "profile page" (the most followed member), "directory
 * search" (/people filtered by a department shared by a few hundred members), "blog post"
 * (the blog post with the most comments the member may see), "group directory" (/groups)
 * and "group chooser" (/groups/mine, where a member picks one of their groups). Paths are
 * in the root network (no /n/<slug> prefix). Each page is added by the seeder of the plugin
 * that serves it (its `targets` hook), placed in the list by its `order`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BenchPage } from './model';
import type { Plan } from './plan';

export type { BenchPage } from './model';
export const TARGETS_FILE = 'bench-targets.json';

export interface BenchTargets {
  seed: number;
  members: number;
  entities: number;
  groups: number;
  password: string;
  pages: BenchPage[];
  login: { username: string };
}

export function buildTargets(plan: Plan, pages: { order: number; page: BenchPage }[], login: string, password: string): BenchTargets {
  return {
    seed: plan.seed,
    members: plan.members,
    entities: plan.entities,
    groups: plan.groups,
    password,
    pages: [...pages].sort((a, b) => a.order - b.order).map((p) => p.page),
    login: { username: login },
  };
}

export function writeTargets(dataDir: string, targets: BenchTargets): string {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, TARGETS_FILE);
  fs.writeFileSync(file, JSON.stringify(targets, null, 2) + '\n');
  return file;
}
