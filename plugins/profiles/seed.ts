/**
 * The profiles plugin's seeder (manifest `seed`). Bench: a profile per member with the
 * built-in columns, and four admin-defined extra fields with their values.
 */
import { DAY, defineSeeder, someOf, INTERESTS, LANGUAGES, SKILLS, TEAMS, type BenchSeed, type DemoSeed } from '../../seeding';

const HEADLINES = ['Engineer', 'Manager', 'Analyst', 'Coordinator', 'Specialist', 'Director', 'Consultant', 'Assistant', 'Lead', 'Intern'];

type ExtraField = 'team' | 'start_date' | 'interests' | 'desk_phone';

export const seeder = defineSeeder({
  bench: () => ({
    async people(b) {
      const { members: m, rng, writer } = b;
      const fields = await extraFields(b);
      const profiles = writer.table('profiles', ['user_id', 'headline', 'department', 'location', 'languages', 'skills', 'about', 'updated_at']);
      const values = writer.table('profile_values', ['user_id', 'field_id', 'value']);
      for (let i = 0; i < m.n; i++) {
        const id = m.id[i];
        const at = m.joinAt[i];
        const languages = someOf(rng, LANGUAGES, 1, 3);
        const skills = someOf(rng, SKILLS, 0, 4);
        const headline = `${rng.pick(HEADLINES)}, ${m.department[i]}`;
        const about = rng.chance(0.6) ? `I work in ${m.department[i]} in ${m.location[i]}. Ask me about ${skills[0] ?? 'anything'}.` : '';
        if (profiles.add([id, headline, m.department[i], m.location[i], languages.join(', '), skills.join(', '), about, at])) await profiles.flush();
        const started = new Date(at - rng.int(0, 3_000) * DAY).toISOString().slice(0, 10);
        const rows: unknown[][] = [
          [id, fields.team, rng.pick(TEAMS)],
          [id, fields.start_date, started],
        ];
        for (const interest of someOf(rng, INTERESTS, 0, 3)) rows.push([id, fields.interests, interest]);
        if (rng.chance(0.5))
          rows.push([id, fields.desk_phone, `+33 4 72 ${String(rng.int(10, 99))} ${String(rng.int(10, 99))} ${String(rng.int(10, 99))}`]);
        for (const r of rows) if (values.add(r)) await values.flush();
      }
      for (const t of [profiles, values]) await t.close();
    },

    targets(b) {
      const m = b.members;
      b.page(60, 'profile page', `/people/${encodeURIComponent(m.username[m.popularity[0] === m.login ? m.popularity[1] : m.popularity[0]])}`);
    },
  }),

  demo: () => ({
    /** A profile per person: job title, department, city, languages, a line about them. */
    async people(d: DemoSeed) {
      const languages: Record<string, string> = {
        fr: d.t('French, English', 'Français, anglais'),
        ca: d.t('French, English', 'Français, anglais'),
        sg: d.t('English, Mandarin, Malay', 'Anglais, mandarin, malais'),
      };
      for (const p of d.people) {
        const country = { fr: d.t('France', 'France'), ca: d.t('Canada', 'Canada'), sg: d.t('Singapore', 'Singapour') }[p.country];
        const where = p.company === 'partner' ? d.t('Antwerp, Belgium', 'Anvers, Belgique') : `${p.city}, ${country}`;
        await d.db('profiles').insert({
          user_id: p.id,
          headline: p.jobTitle,
          department: p.department,
          location: where,
          languages: p.company === 'partner' ? d.t('Dutch, French, English', 'Néerlandais, français, anglais') : languages[p.country],
          skills: '',
          about: d.t(`${p.jobTitle} in ${p.department}, based in ${where}.`, `${p.jobTitle}, ${p.department}, à ${where}.`),
          updated_at: p.joinedAt,
        });
      }
    },
  }),
});

/** The extra profile fields the seed fills, created unless a field with the key exists. */
async function extraFields(b: BenchSeed): Promise<Record<ExtraField, number>> {
  const wanted = [
    { key: 'team', label_en: 'Team', label_fr: 'Équipe', type: 'choice', choices: JSON.stringify(TEAMS), visibility: 'members' },
    { key: 'start_date', label_en: 'Start date', label_fr: 'Date d’arrivée', type: 'date', choices: '[]', visibility: 'members' },
    {
      key: 'interests',
      label_en: 'Interests',
      label_fr: 'Centres d’intérêt',
      type: 'multichoice',
      choices: JSON.stringify(INTERESTS),
      visibility: 'members',
    },
    { key: 'desk_phone', label_en: 'Desk phone', label_fr: 'Téléphone fixe', type: 'text', choices: '[]', visibility: 'members' },
  ] as const;
  const out: Record<string, number> = {};
  const max = await b.db('profile_fields').max({ p: 'position' }).first();
  let position = Number((max as { p?: unknown } | undefined)?.p ?? 0);
  for (const f of wanted) {
    const existing = await b.db('profile_fields').where({ key: f.key }).first('id');
    if (existing) {
      out[f.key] = Number(existing.id);
      continue;
    }
    const [row] = await b
      .db('profile_fields')
      .insert({ ...f, required: false, position: ++position })
      .returning('id');
    out[f.key] = Number(typeof row === 'object' ? row.id : row);
  }
  return out as Record<ExtraField, number>;
}
