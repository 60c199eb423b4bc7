/**
 * The blogs plugin's seeder (manifest `seed`). Bench: published blog posts (in groups or the
 * network) with their first revision, tags and activity; the blog post page.
 */
import { A, ACCESS, defineSeeder, entityRows, placeContent, someOf, TAGS, title, type BenchSeed, type DemoSeed } from '../../seeding';
import { excerptOf, renderMarkdown } from '../../core';
import { BLOG_POST } from './service';

export const seeder = defineSeeder({
  bench: () => ({
    plan(b) {
      const kind = b.entities.register({ type: BLOG_POST, rows: blogRows(b), commentDays: 5, likes: 1 });
      const levels = [
        [A.members, 40],
        [A.network, 30],
        [A.public, 20],
        [A.friends, 10],
      ] as const;
      for (let j = 0; j < b.content.blogs; j++) placeContent(b, kind, false, levels);
    },

    /** The blog post with the most comments the member may see (in the root network, for members or wider). */
    targets(b) {
      const p = b.entities;
      let blog = -1;
      for (let k = 0; k < p.n; k++) {
        if (p.typeOf(k) !== BLOG_POST || p.group[k] >= 0 || p.network[k] !== b.rootId) continue;
        if (!['members', 'network', 'public'].includes(ACCESS[p.access[k]])) continue;
        if (blog < 0 || p.comments[k] > p.comments[blog]) blog = k;
      }
      b.page(80, 'blog post', `/blogs/${p.id[blog]}`);
    },
  }),

  demo: () => ({
    /** Three published articles by the company's people. */
    async content(d: DemoSeed) {
      const t = d.t;
      const articles = [
        {
          author: 1,
          days: 25,
          access: 'members' as const,
          title: t('Where we are going next year', 'Où nous allons l’an prochain'),
          body: t(
            [
              'Three offices, one product, and customers in 14 countries.',
              '',
              '## Our priorities',
              '',
              '- **Customers first**: every team spends a day a quarter with a customer.',
              '- **One platform**: we retire the old portal by June.',
              '- **Grow in Asia** from our Singapore office.',
              '',
              'Questions welcome in the comments.',
            ].join('\n'),
            [
              'Trois bureaux, un produit et des clients dans 14 pays.',
              '',
              '## Nos priorités',
              '',
              '- **Les clients d’abord** : chaque équipe passe une journée par trimestre chez un client.',
              '- **Une seule plateforme** : l’ancien portail s’arrête en juin.',
              '- **Grandir en Asie** depuis notre bureau de Singapour.',
              '',
              'Vos questions sont les bienvenues en commentaire.',
            ].join('\n'),
          ),
          tags: ['strategy'],
        },
        {
          author: 5,
          days: 9,
          access: 'public' as const,
          title: t('How we test a release in three time zones', 'Comment nous testons une version sur trois fuseaux horaires'),
          body: t(
            'Lyon writes the release candidate, Montréal tests it during its afternoon, Singapore checks it overnight for ' +
              'us.\n\nBy the time Lyon wakes up, the report is waiting. Here is what we learned after a year of doing it.',
            'Lyon prépare la version candidate, Montréal la teste pendant son après-midi, Singapour la vérifie pendant ' +
              'notre nuit.\n\nQuand Lyon se réveille, le rapport l’attend. Voici ce que nous avons appris après un an.',
          ),
          tags: ['engineering', 'release'],
        },
        {
          author: 26,
          days: 3,
          access: 'members' as const,
          title: t('Onboarding checklist for new colleagues', 'Liste d’accueil pour les nouveaux collègues'),
          body: t(
            '1. Fill in your profile (photo, job title, languages).\n2. Join your office group ' +
              'and one club.\n3. Book a coffee with your buddy.\n4. Read the security guide.',
            '1. Complétez votre profil (photo, poste, langues).\n2. Rejoignez le groupe de votre bureau et ' +
              'un club.\n3. Prenez un café avec votre parrain ou marraine.\n4. Lisez le guide de sécurité.',
          ),
          tags: ['onboarding'],
        },
      ];
      for (const a of articles) {
        const author = d.staff[a.author];
        const at = d.ago(a.days);
        const id = await d.entity({ type: BLOG_POST, owner: author.id, access: a.access, at });
        const html = renderMarkdown(a.body);
        await d
          .db('blog_posts')
          .insert({ entity_id: id, title: a.title, body: a.body, body_html: html, excerpt: excerptOf(html), status: 'published', published_at: at });
        await d.db('blog_revisions').insert({ entity_id: id, title: a.title, body: a.body, editor_id: author.id, created_at: at });
        for (const tag of a.tags) await d.db('entity_tags').insert({ entity_id: id, tag });
        await d.activity('published', author.id, id, d.rootId, null, at);
        d.posts.push({ id, type: BLOG_POST, owner: author.id, networkId: d.rootId, audience: d.staff.map((p) => p.id), at, commentable: true });
      }
      d.count('articles', articles.length);
    },
  }),
});

const blogRows = (b: BenchSeed) =>
  entityRows(
    b,
    {
      blog_posts: ['entity_id', 'title', 'body', 'body_html', 'excerpt', 'status', 'published_at'],
      blog_revisions: ['entity_id', 'title', 'body', 'editor_id', 'created_at'],
      entity_tags: ['entity_id', 'tag'],
    },
    async (k, put) => {
      const { entities: p, members: m, rng } = b;
      const id = p.id[k];
      const at = p.at[k];
      const owner = m.id[p.owner[k]];
      const t = title(rng);
      const body = `${rng.pick(b.bodies.paragraphs)}\n\n${rng.pick(b.bodies.paragraphs)}`;
      const r = b.bodies.render(body, excerptOf);
      await put('blog_posts', [id, t, body, r.html, r.excerpt, 'published', at]);
      await put('blog_revisions', [id, t, body, owner, at]);
      for (const tag of someOf(rng, TAGS, 0, 3)) await put('entity_tags', [id, tag]);
      b.activity.add('published', owner, id, p.network[k], null, at);
    },
  );
