// Audit entries written before the core kept `ref` (core migration 047) take their decision in the
// moderation plugin's migration 008 (plugins/moderation/old-audit-refs.ts): a restore by the hide it
// names, a decision by network, target, decision, moderator and a minute after `decided_at`, only
// where the entry and the decision match each other alone. The world is made through the queue,
// then its entries lose their `ref` as the old ones never had it, and the migration runs again.
import { migrations } from '../../../plugins/moderation/migrations';
import { eachModApp } from './support';

const step = migrations.find((m) => m.name === '008_old_audit_refs')!;

eachModApp('old audit entries of decisions take their decision where it is sure, and only there', async (t, app) => {
  await app.members('alice', 'bob');
  const [mona, otto] = await app.members('mona', 'otto');
  await app.setRole(mona, 'moderator');
  await app.setRole(otto, 'moderator');
  const posts: Record<string, number> = {};
  for (const name of ['hidden', 'dismissed', 'twice', 'late', 'warned']) {
    posts[name] = await app.post('alice', `Post ${name}`);
    await app.report('bob', posts[name], 'spam');
  }
  const decide = async (who: string, post: string, decision: string, fields: Record<string, string> = {}) =>
    t.is((await app.decide(who, `entity-${posts[post]}`, decision, fields)).status, 303, `${who}: ${decision} ${post}`);
  await decide('mona', 'hidden', 'hide');
  await decide('otto', 'dismissed', 'dismiss');
  await decide('mona', 'twice', 'dismiss');
  // Reported again after the decision: a second dismissal of the same post by the same moderator.
  await app.report('bob', posts.twice, 'spam');
  await decide('mona', 'twice', 'dismiss');
  await decide('mona', 'late', 'hide');
  await decide('otto', 'warned', 'warn', { message: 'Mind the rules.' });
  const hide = Number((await app.db('moderation_decisions').where({ target_id: posts.hidden, decision: 'hide' }).first('id')).id);
  t.is((await (await app.as('mona')).post(`/moderation/history/${hide}/restore`, {})).status, 303);

  /** Each moderation entry as `<action> <post name>`, with the decision it records (null: none). */
  const refs = async (): Promise<Map<string, (number | null)[]>> => {
    const rows = (await app.db('audit_log').where('action', 'like', 'moderation.%').orderBy('id').select('action', 'object_id', 'ref')) as {
      action: string;
      object_id: string;
      ref: string | null;
    }[];
    const named = new Map<string, (number | null)[]>();
    for (const r of rows) {
      const key = `${r.action} ${Object.keys(posts).find((p) => String(posts[p]) === r.object_id)}`;
      named.set(key, [...(named.get(key) ?? []), r.ref === null ? null : Number(r.ref)]);
    }
    return named;
  };
  const written = await refs();
  t.is(written.size, 6, [...written.keys()].join(', '));
  for (const [key, ids] of written)
    t.true(
      ids.every((id) => id !== null),
      `${key}: written with its decision`,
    );

  // As before core migration 047: no entry names its decision. The two dismissals of "twice" are
  // made a second apart and written two seconds after; "late" is written 61 s after its hide.
  await app.db('audit_log').where('action', 'like', 'moderation.%').update({ ref: null });
  const twice = (await app.db('moderation_decisions').where({ target_id: posts.twice }).orderBy('id').select('id')) as { id: number }[];
  const at = 1_700_000_000_000;
  for (const [i, d] of twice.entries())
    await app
      .db('moderation_decisions')
      .where({ id: d.id })
      .update({ decided_at: at + i * 1000 });
  const writtenAt = (action: string, post: string, ms: number) =>
    app
      .db('audit_log')
      .where({ action, object_id: String(posts[post]) })
      .update({ created_at: ms });
  await writtenAt('moderation.dismiss', 'twice', at + 2000);
  const late = (await app.db('moderation_decisions').where({ target_id: posts.late }).first('decided_at')) as { decided_at: number | string };
  await writtenAt('moderation.hide', 'late', Number(late.decided_at) + 61_000);

  await step.up(app.db);
  const migrated = await refs();
  t.deepEqual(
    migrated,
    new Map(
      [...written].map(([key, ids]) => [key, key === 'moderation.hide late' || key === 'moderation.dismiss twice' ? ids.map(() => null) : ids]),
    ),
  );
  t.is(migrated.get('moderation.restore hidden')!.length, 1);
  t.is(migrated.get('moderation.dismiss twice')!.length, 2, 'both dismissals of "twice" match both decisions: none is linked');

  // Run again, with the late entry back in its minute: it takes its decision, the others keep theirs.
  await writtenAt('moderation.hide', 'late', Number(late.decided_at) + 60_000);
  await step.up(app.db);
  const again = await refs();
  t.deepEqual(again.get('moderation.hide late'), written.get('moderation.hide late'));
  t.deepEqual(again.get('moderation.dismiss twice'), [null, null]);
  t.deepEqual(again.get('moderation.warn warned'), written.get('moderation.warn warned'));
});
