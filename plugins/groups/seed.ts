/**
 * The groups plugin's seeder (manifest `seed`). Bench: open, closed and secret groups owned
 * by a member, with skewed sizes (a few busy groups with thousands of members, a long tail of
 * small ones), their rows and members; the group pages.
 */
import {
  A,
  countsRebuiltAtEnd,
  DAY,
  defineSeeder,
  entityRows,
  groupName,
  joinedGroupAt,
  Zipf,
  type BenchSeed,
  type Groups,
  type Visibility,
  type DemoSeed,
} from '../../seeding';
import { renderMarkdown } from '../../core';
import { GROUP, handleOf } from './service';
import { rebuildMemberCounts, suspendMemberCounts } from './member-counts';

export const seeder = defineSeeder({
  bench: () => ({
    /** The member-count triggers would run once per bulk-written membership: counted once at the end instead. */
    ...countsRebuiltAtEnd(suspendMemberCounts, rebuildMemberCounts),

    containers(b) {
      b.groups = planGroups(b);
      b.count('groups', b.groups.n);
    },

    plan(b) {
      const { groups: g, entities: p } = b;
      const kind = p.register({ type: GROUP, rows: groupRows(b) });
      for (let j = 0; j < g.n; j++) {
        const k = p.add(kind, g.owner[j], g.visibility[j] === 'secret' ? A.group : A.network, g.createdAt[j]);
        p.aux[k] = j;
        p.ownContainer[k] = g.visibility[j] === 'secret' ? 1 : 0;
      }
    },

    prepare(b) {
      const p = b.entities;
      for (let k = 0; k < p.n; k++) if (p.typeOf(k) === GROUP) b.groups.entityId[p.aux[k]] = p.id[k];
    },

    /** container_members: the owner as group admin, everyone else as member. */
    async write(b) {
      const { groups: g, members: m } = b;
      const table = b.writer.table('container_members', ['container_id', 'user_id', 'role', 'created_at']);
      for (let k = 0; k < g.n; k++) {
        for (const i of g.members[k]) {
          if (table.add([g.entityId[k], m.id[i], i === g.owner[k] ? 'admin' : 'member', joinedGroupAt(b, i, k)])) await table.flush();
        }
      }
      await table.close();
    },

    targets(b) {
      const { groups: g, members: m } = b;
      const busy = g.visibility.findIndex((v, i) => v === 'open' && g.members[i].includes(m.login));
      b.page(30, 'group page', `/groups/${g.entityId[busy]}`);
      b.page(90, 'group directory', '/groups');
      b.page(100, 'group chooser', '/groups/mine');
    },
  }),

  demo: () => ({
    /** An open club, an open business group, a closed managers' group and a secret project group. */
    async containers(d: DemoSeed) {
      const staff = d.staff;
      const groups = [
        {
          name: d.t('Running club', 'Club de course à pied'),
          about: d.t(
            'Lunchtime runs in Lyon, Montréal and Singapore. All paces welcome.',
            'Sorties à midi à Lyon, Montréal et Singapour. Tous les rythmes sont les bienvenus.',
          ),
          category: 'social',
          visibility: 'open' as const,
          members: [staff[0], ...staff.filter((_, i) => i % 3 === 1)],
        },
        {
          name: d.t('Product launches', 'Lancements produit'),
          about: d.t('Release notes, launch plans and customer feedback.', 'Notes de version, plans de lancement et retours clients.'),
          category: 'business',
          visibility: 'open' as const,
          members: [staff[5], staff[0], ...staff.filter((p, i) => i % 4 === 0 && i !== 0)],
        },
        {
          name: d.t('Managers’ corner', 'Le coin des managers'),
          about: d.t('Where team leads compare notes. Ask to join.', 'Les responsables d’équipe échangent leurs pratiques. Demandez à rejoindre.'),
          category: 'business',
          visibility: 'closed' as const,
          members: [staff[1], staff[0], staff[2], staff[6], staff[12], staff[31], staff[48]],
        },
        {
          name: d.t('Project Falcon', 'Projet Faucon'),
          about: d.t('The acquisition nobody talks about yet.', 'L’acquisition dont personne ne parle encore.'),
          category: 'business',
          visibility: 'secret' as const,
          members: [staff[1], staff[0], staff[2], staff[7], staff[33]],
        },
      ];
      for (const [i, g] of groups.entries()) {
        const at = d.ago(150 - i * 20);
        const owner = g.members[0];
        const id = await d.entity({ type: GROUP, owner: owner.id, access: g.visibility === 'secret' ? 'group' : 'network', at });
        if (g.visibility === 'secret') await d.db('entities').where({ id }).update({ container_id: id });
        await d.db('groups').insert({
          entity_id: id,
          network_id: d.rootId,
          name: g.name,
          name_lower: g.name.toLowerCase(),
          handle: handleOf(g.name),
          description: g.about,
          description_html: renderMarkdown(g.about),
          category: g.category,
          visibility: g.visibility,
          created_at: at,
          updated_at: at,
        });
        const members = [...new Map(g.members.map((p) => [p.id, p])).values()];
        for (const [k, p] of members.entries())
          await d.db('container_members').insert({ container_id: id, user_id: p.id, role: k ? 'member' : 'admin', created_at: at + k * DAY });
        if (g.visibility === 'open') await d.activity('created', owner.id, id, d.rootId, null, at);
        d.groups.push({ id, name: g.name, visibility: g.visibility, members: members.map((p) => p.id) });
      }
      d.count('groups', groups.length);
    },
  }),
});

function planGroups(b: BenchSeed): Groups {
  const { members: m, rng, clock, plan } = b;
  const n = plan.groups;
  const g: Groups = {
    n,
    owner: new Int32Array(n),
    createdAt: new Float64Array(n),
    visibility: [],
    name: [],
    members: [],
    entityId: new Int32Array(n),
  };
  const taken = new Set<string>();
  const busy = Math.max(1, Math.floor(n * 0.05));
  for (let i = 0; i < n; i++) {
    // Rank i: the busiest groups come first and are open.
    const visibility: Visibility = i < busy ? 'open' : rng.weighted(['open', 'closed', 'secret'] as const, [65, 23, 12]);
    const owner = m.active.draw(rng);
    const join = m.joinAt[owner];
    g.owner[i] = owner;
    g.visibility.push(visibility);
    g.name.push(groupName(rng, i, taken));
    // Busy groups are old; the others appear over the three years.
    const span = (clock.end - join) * (i < busy ? 0.15 : 0.9);
    g.createdAt[i] = clock.at(rng, join + DAY, join + DAY + span, m.tz[owner]);
    g.members.push([owner]);
    m.groups[owner].push(i);
  }
  const pick = new Zipf(n, 0.9);
  for (let i = 0; i < m.n; i++) {
    const want = i === m.login ? Math.min(n, 40) : Math.min(n, 1 + Math.floor(rng.exp(4)));
    const mine = new Set(m.groups[i]);
    if (i === m.login) mine.add(0);
    for (let tries = 0; mine.size < want && tries < want * 20; tries++) mine.add(pick.rank(rng));
    for (const k of mine) {
      if (g.owner[k] === i) continue;
      g.members[k].push(i);
      m.groups[i].push(k);
    }
  }
  return g;
}

/** The groups' rows (unique handles in the network) and the "created" activity of open groups. */
function groupRows(b: BenchSeed) {
  const handles = new Set<string>();
  let loaded = false;
  const rows = entityRows(
    b,
    {
      groups: [
        'entity_id',
        'network_id',
        'name',
        'name_lower',
        'handle',
        'description',
        'description_html',
        'category',
        'visibility',
        'created_at',
        'updated_at',
      ],
    },
    async (k, put) => {
      const { entities: p, groups: g, members: m, rng } = b;
      if (!loaded) {
        for (const h of (await b.db('groups').where({ network_id: b.rootId }).pluck('handle')) as string[]) handles.add(h);
        loaded = true;
      }
      const j = p.aux[k];
      const name = g.name[j];
      let handle = handleOf(name);
      for (let s = 2; handles.has(handle); s++) handle = `${handleOf(name)}-${s}`;
      handles.add(handle);
      const description = b.bodies.paragraphs[rng.int(0, b.bodies.paragraphs.length - 1)];
      const at = p.at[k];
      const net = p.network[k];
      const html = b.bodies.render(description).html;
      await put('groups', [
        p.id[k],
        net,
        name,
        name.toLowerCase(),
        handle,
        description,
        html,
        rng.chance(0.6) ? 'business' : 'social',
        g.visibility[j],
        at,
        at,
      ]);
      if (g.visibility[j] === 'open') b.activity.add('created', m.id[p.owner[k]], p.id[k], net, null, at);
    },
  );
  return rows;
}
