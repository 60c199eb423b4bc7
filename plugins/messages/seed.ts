/**
 * The messages plugin's seeder (manifest `seed`). Demo: a few conversations between the
 * company's people (the demo member among them) and one with the partner's liaison.
 */
import { defineSeeder, type DemoSeed } from '../../seeding';
import { directKey } from './keys';

export const seeder = defineSeeder({
  demo: () => ({
    async content(d: DemoSeed) {
      const t = d.t;
      const [me, boss, , liaison] = d.staff;
      const conversations: { network: number; people: number[]; subject: string; lines: [number, string][] }[] = [
        {
          network: d.rootId,
          people: [me.id, boss.id],
          subject: '',
          lines: [
            [boss.id, t('Do you have five minutes before the all-hands?', 'Tu as cinq minutes avant la plénière ?')],
            [me.id, t('Sure, call me at 3:30.', 'Bien sûr, appelle-moi à 15 h 30.')],
            [boss.id, t('Perfect, thanks.', 'Parfait, merci.')],
          ],
        },
        {
          network: d.rootId,
          people: [me.id, d.staff[18].id, d.staff[49].id],
          subject: t('Customer visit in Singapore', 'Visite client à Singapour'),
          lines: [
            [
              d.staff[49].id,
              t(
                'The port authority wants a demo on the 20th. Can Montréal join remotely?',
                'L’autorité portuaire veut une démo le 20. Montréal peut se joindre à distance ?',
              ),
            ],
            [d.staff[18].id, t('Yes, 8 pm for us is fine.', 'Oui, 20 h chez nous, ça va.')],
            [me.id, t('I will prepare the slides.', 'Je prépare les diapositives.')],
          ],
        },
        {
          network: d.partnerId,
          people: [liaison.id, d.partners[0].id],
          subject: '',
          lines: [
            [d.partners[0].id, t('Can we move the weekly call to Wednesday?', 'On peut déplacer le point hebdo à mercredi ?')],
            [liaison.id, t('Wednesday 10 am works for me.', 'Mercredi 10 h me va.')],
          ],
        },
      ];
      for (const [i, c] of conversations.entries()) {
        const start = d.ago(6 - i * 2);
        const direct = c.people.length === 2;
        const last = start + (c.lines.length - 1) * 600_000;
        const id = await d.insertId('conversations', {
          network_id: c.network,
          kind: direct ? 'direct' : 'group',
          subject: c.subject,
          created_by: c.lines[0][0],
          created_at: start,
          last_seq: c.lines.length,
          last_message_at: last,
          unique_key: direct ? directKey(c.network, c.people[0], c.people[1]) : null,
        });
        for (const user of c.people)
          await d
            .db('conversation_members')
            .insert({ conversation_id: id, user_id: user, joined_at: start, last_read_seq: user === me.id ? 0 : c.lines.length, archived: false });
        for (const [seq, [author, body]] of c.lines.entries())
          await d.db('messages').insert({ conversation_id: id, seq: seq + 1, author_id: author, body, created_at: start + seq * 600_000 });
      }
      d.count('conversations', conversations.length);
    },
  }),
});
