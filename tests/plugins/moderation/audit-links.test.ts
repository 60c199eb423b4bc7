// The audit log links moderation decisions to their page (issue 17): a decision's entry records
// the decision (`ref`), and the core's audit page shows "See the decision" through the moderation
// plugin's `audit:links` answer — to the network's admin (and a root admin), leading to the
// decision's permalink, a restore's entry to the restore's own; never where the decision's page
// would not open: a reader holding `core.admin` without `moderation.review`, a network where the
// plugin is disabled now. The page's other entries are unchanged.
import { pageAgent, signedIn } from '../../helpers/members';
import { eachModApp } from './support';

/** The row of audit entry `id` on the audit page. */
const rowOf = (html: string, id: number): string => {
  const from = html.indexOf(`id="audit-${id}"`);
  return from < 0 ? '' : html.slice(from, html.indexOf('</tr>', from));
};
/** The CSV's lines by entry id: the last two fields, the decision (`ref`) and its address (`ref_url`). */
const csvRows = (text: string): Map<number, { ref: string; url: string }> => {
  const lines = text.trim().split('\r\n');
  const header = lines[0].split(',');
  if (header.at(-2) !== 'ref' || header.at(-1) !== 'ref_url') return new Map();
  return new Map(
    lines.slice(1).map((line) => {
      const fields = line.split(',');
      return [Number(fields[0].replace(/"/g, '')), { ref: fields.at(-2)!.replace(/"/g, ''), url: fields.at(-1)!.replace(/"/g, '') }];
    }),
  );
};
const linkOf = (row: string): string | null => /<span class="table__sub audit-record"><a href="([^"]+)">([^<]+)<\/a>/.exec(row)?.[1] ?? null;

eachModApp('audit entries of decisions link to the decision’s page, for who may open it', async (t, app) => {
  const [alice] = await app.members('alice', 'bob');
  const [mona, otto, nadia] = await app.members('mona', 'otto', 'nadia');
  await app.setRole(mona, 'moderator');
  await app.setRole(otto, 'moderator');
  await app.setRole(nadia, 'admin');
  const post = await app.post('alice', 'Something to hide');
  const other = await app.post('alice', 'Something fine');
  await app.report('bob', post, 'spam');
  await app.report('bob', other, 'spam');
  t.is((await app.decide('mona', `entity-${post}`, 'hide')).status, 303);
  t.is((await app.decide('mona', `entity-${other}`, 'dismiss')).status, 303);
  const decision = async (target: number, kind: string) =>
    Number((await app.db('moderation_decisions').where({ target_id: target, decision: kind }).first('id')).id);
  const entry = async (action: string, target: number) =>
    (await app
      .db('audit_log')
      .where({ action, object_id: String(target) })
      .first('id', 'ref')) as { id: number; ref: string | null };
  const [hide, dismiss] = [await decision(post, 'hide'), await decision(other, 'dismiss')];
  const [hideEntry, dismissEntry] = [await entry('moderation.hide', post), await entry('moderation.dismiss', other)];
  t.is(hideEntry.ref, String(hide), 'the entry records the decision');
  t.is(dismissEntry.ref, String(dismiss));
  const m = await app.as('mona');
  t.is((await m.post(`/moderation/history/${hide}/restore`, {})).status, 303);
  const restore = Number((await app.db('moderation_decisions').where({ restores_id: hide }).first('id')).id);
  const restoreEntry = await entry('moderation.restore', post);
  t.is(restoreEntry.ref, String(restore));

  // The network's admin and the root admin: each entry links to its decision, whose page opens.
  const readers = { nadia: await app.as('nadia'), admin: pageAgent(await signedIn(app, 'admin'), '/admin/audit') };
  for (const [who, reader] of Object.entries(readers)) {
    const page = await reader.agent.http.get('/admin/audit');
    t.is(page.status, 200, who);
    for (const [e, id] of [
      [hideEntry, hide],
      [dismissEntry, dismiss],
      [restoreEntry, restore],
    ] as const) {
      const href = linkOf(rowOf(page.text, Number(e.id)));
      t.is(href, `/moderation/history/${id}`, `${who}: entry ${e.id}`);
      const opened = await reader.agent.http.get(href!);
      t.is(opened.status, 200, `${who} opens ${href}`);
      t.regex(opened.text, new RegExp(`id="decision-${id}"`));
    }
    t.regex(rowOf(page.text, Number(hideEntry.id)), /See the decision/);
    // The CSV export: each entry's decision (`ref`) and the address of its page, as the page links it.
    const csv = csvRows((await reader.agent.http.get('/admin/audit.csv')).text);
    for (const [e, id] of [
      [hideEntry, hide],
      [dismissEntry, dismiss],
      [restoreEntry, restore],
    ] as const) {
      const line = csv.get(Number(e.id));
      t.is(line?.ref, String(id), `${who}: the CSV's ref of entry ${e.id}`);
      t.is(line?.url, `${app.rt.config.siteUrl.replace(/\/+$/, '')}/moderation/history/${id}`, `${who}: the CSV's address of entry ${e.id}`);
    }
    // Every decision's action is named in words, a restore too (it was its key).
    t.regex(rowOf(page.text, Number(restoreEntry.id)), /Content shown again/);
  }
  const fr = await (await app.as('nadia')).agent.http.get('/admin/audit').set('Accept-Language', 'fr');
  t.regex(rowOf(fr.text, Number(hideEntry.id)), /Voir la décision/);
  t.regex(rowOf(fr.text, Number(restoreEntry.id)), /Contenu affiché à nouveau/);

  // Otto, a moderator given the audit log but not the queue: the entries without links, as the page refuses him.
  await app.rt.permissions.setGrant(app.root, 'core.admin', 'moderator', true);
  await app.rt.permissions.setGrant(app.root, 'moderation.review', 'moderator', false);
  const o = await app.as('otto');
  const his = await o.agent.http.get('/admin/audit');
  t.is(his.status, 200);
  t.not(rowOf(his.text, Number(hideEntry.id)), '', 'he reads the entry');
  for (const e of [hideEntry, dismissEntry, restoreEntry]) t.is(linkOf(rowOf(his.text, Number(e.id))), null, `no link for entry ${e.id}`);
  t.is((await o.agent.http.get(`/moderation/history/${hide}`)).status, 403, 'the decision’s page refuses him');
  t.false(his.text.includes(`/moderation/history/`), 'no decision linked anywhere on his page');
  const hisCsv = await o.agent.http.get('/admin/audit.csv');
  t.is(hisCsv.status, 200);
  t.is(csvRows(hisCsv.text).get(Number(hideEntry.id))?.ref, String(hide), 'the CSV names the decision (a fact of the entry)');
  t.false(hisCsv.text.includes('/moderation/history/'), 'with no address he may not open');

  // Moderation disabled in the network: the entries stay, with no link to a page that is gone.
  await app.rt.pluginState.disable('moderation');
  const n = await app.as('nadia');
  const after = await n.agent.http.get('/admin/audit');
  t.not(rowOf(after.text, Number(hideEntry.id)), '');
  t.is(linkOf(rowOf(after.text, Number(hideEntry.id))), null);
  t.is((await n.agent.http.get(`/moderation/history/${hide}`)).status, 404);
  t.truthy(alice);
});
