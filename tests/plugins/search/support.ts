/**
 * The search plugin's test world: status posts written straight through the core's entities
 * (as the activity plugin writes them) at a chosen level, container, network and state, and
 * reading a results page as a viewer: which marker words it shows, and the tabs' counts.
 */
import type { Runtime } from '../../../core';
import type { TestApp } from '../../helpers/app';
import { addMemberships, addSubNetwork, befriend, createMember, formGroup, MEMBER_PASSWORD, pageAgent, signedIn } from '../../helpers/members';

export interface PostOptions {
  access?: 'private' | 'friends' | 'group' | 'network' | 'members' | 'public';
  containerId?: number | null;
  networkId?: number;
  published?: boolean;
  /** Withheld by moderation (hidden, or held for review): its author's and moderators' only. */
  withheld?: boolean;
  createdAt?: number;
}

/** A status post by `ownerId` saying `body`; answers its entity id. */
export async function statusPost(rt: Runtime, ownerId: number, body: string, o: PostOptions = {}): Promise<number> {
  return rt.db.transaction(async (trx) => {
    const id = await rt.entities.create(
      {
        type: 'status',
        ownerId,
        networkId: o.networkId ?? rt.networks.root().id,
        access: o.access ?? 'members',
        containerId: o.containerId ?? null,
        published: o.published ?? true,
        withheld: o.withheld ?? false,
        createdAt: o.createdAt,
      },
      trx,
    );
    await trx('status_posts').insert({ entity_id: id, body });
    return id;
  });
}

/** The marker words (`mk` followed by letters) a page shows, sorted and distinct. */
export function markersIn(html: string): string[] {
  return [...new Set(html.match(/\bmk[a-z]+\b/g) ?? [])].sort();
}

/** The count each tab of a results page shows, by tab label. */
export function tabCounts(html: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of html.matchAll(/<li><a href="[^"]*"(?: aria-current="page")?>([^<]+) <span class="search-tabs__count">(\d+)<\/span>/g))
    out[m[1].trim()] = Number(m[2]);
  return out;
}

/**
 * An isolated partner network `partner` (its members see only it; the root's members are
 * outsiders there) with its own member `pat` (password MEMBER_PASSWORD) and `memberIds` of the
 * root too. Answers the network's id.
 */
export async function isolatedPartner(rt: Runtime, memberIds: number[]): Promise<number> {
  const partner = await addSubNetwork(rt, 'partner');
  await rt.networks.update(partner, { isolated: true });
  const pat = await rt.users.create({ username: 'pat', email: 'pat@partner.example', password: MEMBER_PASSWORD, networkId: partner }, 'member');
  if (!('id' in pat)) throw new Error(`could not create pat: ${JSON.stringify(pat.errors)}`);
  await addMemberships(rt, partner, memberIds);
  return partner;
}

/**
 * The viewers of the search tests, in a root network open to guests: each of `usernames` an
 * active member (`mod` its moderator), created in that order, and olga friends with fred.
 * Their ids by username.
 */
export async function searchViewers(rt: Runtime, usernames: readonly string[]): Promise<Record<string, number>> {
  await rt.networks.update(rt.networks.root().id, { allowGuests: true });
  const ids: Record<string, number> = {};
  for (const username of usernames) ids[username] = await createMember(rt, username, username === 'mod' ? { role: 'moderator' } : {});
  await befriend(rt, ids.olga, ids.fred);
  return ids;
}

/**
 * Members `olga`, `cora` and `mia`, and a closed group `name` that olga formed with cora (mia is
 * not in it). Answers olga's id and the group's.
 */
export async function closedGroupOfOlga(app: TestApp, name: string): Promise<{ olga: number; group: number }> {
  const rt = app.app.ruche;
  const olga = await createMember(rt, 'olga');
  const cora = await createMember(rt, 'cora');
  await createMember(rt, 'mia');
  const group = await formGroup(
    pageAgent(await signedIn(app, 'olga'), '/groups/new'),
    rt,
    { name, description: '', category: 'social', visibility: 'closed' },
    [cora],
  );
  return { olga, group };
}
