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
 * in the root network (no /n/<slug> prefix).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ACCESS, TYPE, type Planned } from './content';
import type { SeedContext } from './model';

export const TARGETS_FILE = 'bench-targets.json';

export interface BenchPage {
  name: string;
  path: string;
  as: string;
}

export interface BenchTargets {
  seed: number;
  members: number;
  entities: number;
  groups: number;
  password: string;
  pages: BenchPage[];
  login: { username: string };
}

export function buildTargets(c: SeedContext, p: Planned, comments: Int32Array, password: string, repliesPerPage: number): BenchTargets {
  const { members: m, groups: g, plan } = c;
  const as = m.username[m.login];
  const hot = p.hot[0];
  const lastPage = Math.max(1, Math.ceil(p.replyCount[hot] / repliesPerPage));
  let blog = -1;
  for (let k = 0; k < p.n; k++) {
    if (p.type[k] !== TYPE.blog || p.group[k] >= 0 || p.network[k] !== c.rootId) continue;
    if (!['members', 'network', 'public'].includes(ACCESS[p.access[k]])) continue;
    if (blog < 0 || comments[k] > comments[blog]) blog = k;
  }
  const busy = g.visibility.findIndex((v, i) => v === 'open' && g.members[i].includes(m.login));
  const page = (name: string, pathname: string): BenchPage => ({ name, path: pathname, as });
  return {
    seed: plan.seed,
    members: plan.members,
    entities: plan.entities,
    groups: plan.groups,
    password,
    pages: [
      page('home feed', '/feed'),
      page('network feed', '/activity'),
      page('group page', `/groups/${g.entityId[busy]}`),
      page('topic first page', `/discussions/${p.id[hot]}`),
      page('topic last page', `/discussions/${p.id[hot]}${lastPage > 1 ? `?page=${lastPage}` : ''}`),
      page('profile page', `/people/${encodeURIComponent(m.username[m.popularity[0] === m.login ? m.popularity[1] : m.popularity[0]])}`),
      page('directory search', `/people?f_department=${encodeURIComponent(directoryDepartment(c))}`),
      page('blog post', `/blogs/${p.id[blog]}`),
      page('group directory', '/groups'),
      page('group chooser', '/groups/mine'),
    ],
    login: { username: as },
  };
}

/** The department whose member count is closest to 300 ("a few hundred" at the default size). */
function directoryDepartment(c: SeedContext): string {
  const counts = new Map<string, number>();
  for (const d of c.members.department) counts.set(d, (counts.get(d) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => Math.abs(a[1] - 300) - Math.abs(b[1] - 300) || a[0].localeCompare(b[0]))[0][0];
}

export function writeTargets(dataDir: string, targets: BenchTargets): string {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, TARGETS_FILE);
  fs.writeFileSync(file, JSON.stringify(targets, null, 2) + '\n');
  return file;
}
