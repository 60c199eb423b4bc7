/**
 * The activity plugin's seeder (manifest `seed`). Bench: a "joined" entity per member, a
 * "connected" entity per accepted connection, status posts (in groups, sub-networks or the
 * network, with hashtags and mentions) and their activity; the two feed pages.
 */
import { extractHashtags } from '../../core';
import { A, defineSeeder, entityRows, placeContent, sentence, TAGS, type BenchSeed, type DemoSeed, type DemoPost } from '../../seeding';
import { CONNECTION, MEMBERSHIP } from './describe';
import { STATUS } from './service';

export const seeder = defineSeeder({
  bench: () => ({
    plan(b) {
      const { members: m, connections: c, entities: p } = b;
      const joined = p.register({ type: MEMBERSHIP, rows: verbRows(b, 'joined'), likes: 0.05 });
      const connected = p.register({ type: CONNECTION, rows: verbRows(b, 'connected'), likes: 0.05 });
      const status = p.register({ type: STATUS, rows: statusRows(b), commentDays: 2, likes: 1 });
      for (let i = 0; i < m.n; i++) p.add(joined, i, A.network, m.joinAt[i]);
      for (let j = 0; j < c.from.length; j++) p.aux[p.add(connected, c.to[j], A.members, c.at[j])] = c.from[j];
      const levels = [
        [A.members, 45],
        [A.network, 30],
        [A.public, 5],
        [A.friends, 15],
        [A.private, 3],
      ] as const;
      for (let j = 0; j < b.content.statuses; j++) placeContent(b, status, true, levels);
    },

    targets(b) {
      b.page(10, 'home feed', '/feed');
      b.page(20, 'network feed', '/activity');
    },
  }),

  demo: () => ({
    /** Status posts in the company's network, its groups and the partner's network. */
    async content(d: DemoSeed) {
      for (const [i, post] of demoPosts(d).entries()) {
        const author = post.where === 'partner' ? d.partners[post.author] : d.staff[post.author];
        const group = post.where.startsWith('group:') ? d.groups[Number(post.where.slice(6))] : undefined;
        const networkId = post.where === 'partner' ? d.partnerId : d.rootId;
        const access = group
          ? group.visibility === 'open'
            ? 'network'
            : 'group'
          : post.where === 'public'
            ? 'public'
            : post.where === 'partner'
              ? 'network'
              : 'members';
        const at = d.ago(post.days + i * 0.01);
        const id = await d.entity({ type: STATUS, owner: author.id, access, networkId, containerId: group?.id ?? null, at });
        await d.db('status_posts').insert({ entity_id: id, body: post.text });
        for (const tag of extractHashtags(post.text)) await d.db('entity_tags').insert({ entity_id: id, tag });
        await d.activity('posted', author.id, id, networkId, null, at);
        const audience =
          group && access === 'group'
            ? group.members
            : d.people
                .filter((p) => (post.where === 'partner' ? p.company === 'partner' || p === d.staff[3] || p === d.staff[4] : p.company === 'company'))
                .map((p) => p.id);
        const entry: DemoPost = { id, type: STATUS, owner: author.id, networkId, audience, at, commentable: true };
        d.posts.push(entry);
      }
      d.count('status posts', demoPosts(d).length);
    },
  }),
});

/** "Joined" and "connected" entities: no rows of their own, only their activity. */
const verbRows = (b: BenchSeed, verb: 'joined' | 'connected') =>
  entityRows(b, {}, (k) => {
    const { entities: p, members: m } = b;
    b.activity.add(verb, m.id[p.owner[k]], p.id[k], p.network[k], verb === 'connected' ? m.id[p.aux[k]] : null, p.at[k]);
  });

const statusRows = (b: BenchSeed) =>
  entityRows(
    b,
    { status_posts: ['entity_id', 'body'], content_mentions: ['entity_id', 'object_id', 'user_id'], entity_tags: ['entity_id', 'tag'] },
    async (k, put) => {
      const { entities: p, members: m, rng } = b;
      const id = p.id[k];
      let body = sentence(rng);
      if (rng.chance(0.2)) body += ` #${rng.pick(TAGS)}`;
      const friends = m.friends[p.owner[k]];
      const mentioned = friends.length && rng.chance(0.1) ? friends[rng.int(0, friends.length - 1)] : -1;
      if (mentioned >= 0) body = `@${m.username[mentioned]} ${body}`;
      await put('status_posts', [id, body]);
      for (const tag of extractHashtags(body)) await put('entity_tags', [id, tag]);
      if (mentioned >= 0) await put('content_mentions', [id, 0, m.id[mentioned]]);
      b.activity.add('posted', m.id[p.owner[k]], id, p.network[k], null, p.at[k]);
    },
  );

interface DemoStatus {
  /** Index in the company's people (the partner's for `partner`). */
  author: number;
  /** `members` of the company, `public`, `group:<index in d.groups>`, or the `partner` network. */
  where: string;
  days: number;
  text: string;
}

function demoPosts(d: DemoSeed): DemoStatus[] {
  const t = d.t;
  return [
    {
      author: 1,
      where: 'members',
      days: 30,
      text: t(
        'Welcome to our new intranet! Introduce yourself and follow the groups you care about. #welcome',
        'Bienvenue sur notre nouvel intranet ! Présentez-vous et suivez les groupes qui vous intéressent. #bienvenue',
      ),
    },
    {
      author: 18,
      where: 'members',
      days: 21,
      text: t(
        'The Montréal office moves to the 12th floor on Monday: boxes are in the kitchen.',
        'Le bureau de Montréal déménage au 12e étage lundi : les cartons sont dans la cuisine.',
      ),
    },
    {
      author: 49,
      where: 'members',
      days: 14,
      text: t(
        'Singapore team here: we closed the Q3 deal with the port authority. Thanks to everyone in Lyon who helped with the demo! #sales',
        'Ici l’équipe de Singapour : nous avons signé le contrat du T3 avec l’autorité ' +
          'portuaire. Merci à tous ceux de Lyon qui ont aidé pour la démo ! #ventes',
      ),
    },
    {
      author: 0,
      where: 'members',
      days: 7,
      text: t(
        'Who has a good template for quarterly reviews? Ours is ten years old.',
        'Quelqu’un a un bon modèle pour les revues trimestrielles ? Le nôtre a dix ans.',
      ),
    },
    {
      author: 9,
      where: 'public',
      days: 5,
      text: t(
        'We are hiring two engineers in Lyon. Know someone great? #hiring',
        'Nous recrutons deux ingénieurs à Lyon. Vous connaissez quelqu’un ? #recrutement',
      ),
    },
    {
      author: 25,
      where: 'members',
      days: 2,
      text: t(
        'Reminder: the all-hands is Thursday at 4 pm Paris time, 10 am Montréal, 11 pm Singapore (recording for you!).',
        'Rappel : la plénière est jeudi à 16 h heure de Paris, 10 h à Montréal, 23 h à Singapour (enregistrement pour vous !).',
      ),
    },
    {
      author: 0,
      where: 'group:0',
      days: 10,
      text: t('Saturday 8 am, 10 km along the Rhône. Who is in?', 'Samedi 8 h, 10 km le long du Rhône. Qui vient ?'),
    },
    {
      author: 19,
      where: 'group:0',
      days: 4,
      text: t(
        'Mont Royal loop done in 52 minutes. Next week: intervals.',
        'Tour du mont Royal bouclé en 52 minutes. La semaine prochaine : fractionné.',
      ),
    },
    {
      author: 5,
      where: 'group:1',
      days: 6,
      text: t(
        'Release 4.2 ships next Tuesday: the new dashboard, offline mode and faster search.',
        'La version 4.2 sort mardi prochain : nouveau tableau de bord, mode hors ligne et recherche plus rapide.',
      ),
    },
    {
      author: 1,
      where: 'group:2',
      days: 8,
      text: t(
        'Budget round starts next week. Please send your hiring plans by Friday.',
        'Le tour budgétaire commence la semaine prochaine. Envoyez vos plans de recrutement d’ici vendredi.',
      ),
    },
    {
      author: 2,
      where: 'group:3',
      days: 3,
      text: t(
        'Falcon: the due diligence report is in the data room. Do not forward.',
        'Faucon : le rapport d’audit est dans la data room. Ne pas transférer.',
      ),
    },
    {
      author: 1,
      where: 'group:3',
      days: 1,
      text: t('Falcon: signing planned for the 15th if legal agrees.', 'Faucon : signature prévue le 15 si le juridique est d’accord.'),
    },
    {
      author: 0,
      where: 'partner',
      days: 12,
      text: t(
        'Kestrel team: our new warehouse in Antwerp opens next month.',
        'Équipe Kestrel : notre nouvel entrepôt d’Anvers ouvre le mois prochain.',
      ),
    },
    {
      author: 1,
      where: 'partner',
      days: 4,
      text: t('Shipping schedules for November are in the shared folder.', 'Les plannings d’expédition de novembre sont dans le dossier partagé.'),
    },
  ];
}
