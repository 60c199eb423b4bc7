// Files' cards kept by version (issue 18, files migrations 008-010): a file's feed card, a batch's,
// and a status post's attachments are taken from the fragment cache on the next page; every writer of
// what they show (a file renamed, a file of the batch deleted, an attached file ready or deleted, by
// any writer) shows on the next page, as rendered without the cache (both databases).
import { eachAppOf } from '../../helpers/each-app';
import { statementsDuring } from '../../helpers/statements';
import type { PageAgent } from '../../helpers/members';
import { attachedFiles, fileId, filesApp, png, postWithAttachments, upload, type FilesApp } from './support';

const eachApp = eachAppOf((db) => filesApp(db));

/** The feed's card of entity `id`, without its form tokens and times. */
function cardOf(html: string, id: number): string {
  const m = new RegExp(`<article[^>]*data-entity="${id}"[\\s\\S]*?</article>`).exec(html);
  return m ? m[0].replace(/name="_csrf" value="[^"]+"/g, '').replace(/<time[^>]*>[^<]*<\/time>/g, '<time></time>') : '';
}

/** The card of `id` in `who`'s network feed, the files statements the page ran, and the card without the cache. */
async function feedCard(app: FilesApp, who: PageAgent, id: number): Promise<{ card: string; reads: number; uncached: string }> {
  const { value, sql } = await statementsDuring(app.rt, () => who.get('/activity'));
  const options = app.rt.views.fragments.options as { enabled: boolean };
  options.enabled = false;
  try {
    const plain = await who.get('/activity');
    return { card: cardOf(value.text, id), reads: sql.filter((s) => /files_items/.test(s)).length, uncached: cardOf(plain.text, id) };
  } finally {
    options.enabled = true;
  }
}

eachApp("a file's and a batch's feed cards are kept, and their files' writers change them", async (t, app) => {
  if (!app.rt.routes.get('activity.network')) return void t.pass();
  await app.member('olga');
  await app.member('mia');
  const o = await app.as('olga');
  const m = await app.as('mia');
  const doc = fileId(await upload(o, [{ data: Buffer.from('Procedure'), name: 'procedure.txt' }], { access: 'members' }));
  const first = await feedCard(app, m, doc);
  t.true(first.card.includes('procedure.txt'));
  const again = await feedCard(app, m, doc);
  t.is(again.reads, 0, 'a kept card reads no file');
  t.is(again.card, first.card);
  await app.db('files_items').where({ entity_id: doc }).update({ name: 'renamed.txt' });
  const renamed = await feedCard(app, m, doc);
  t.true(renamed.card.includes('renamed.txt') && !renamed.card.includes('procedure.txt'), 'a renamed file');
  t.is(renamed.card, renamed.uncached);

  t.is(
    (
      await upload(
        o,
        await Promise.all([1, 2, 3].map(async (i) => ({ data: await png(80 + i, 60), name: `festival-${i}.png`, type: 'image/png' }))),
        { access: 'members' },
      )
    ).status,
    303,
  );
  // The batch is named by its first file: the card's entity.
  const last = Number((await app.db('files_items').max({ id: 'entity_id' }).first())!.id);
  const head = Number((await app.db('files_items').where({ entity_id: last }).first('batch_id')).batch_id);
  const batch = (await app.db('files_items').where({ batch_id: head }).pluck('entity_id')).map(Number);
  t.is(batch.length, 3);
  const three = await feedCard(app, m, head);
  t.true(three.card.includes('3 files'));
  t.is((await feedCard(app, m, head)).reads, 0, 'a kept batch reads no file');
  const other = batch.find((id) => id !== head)!;
  await app.db('files_items').where({ entity_id: other }).delete();
  const two = await feedCard(app, m, head);
  t.true(two.card.includes('2 files'), 'a file of the batch gone');
  t.is(two.card, two.uncached);
});

eachApp("a status post's attachments are kept, and an attached file's writers change them", async (t, app) => {
  if (!app.rt.routes.get('activity.network')) return void t.pass();
  await app.member('olga');
  await app.member('mia');
  const o = await app.as('olga');
  const m = await app.as('mia');
  const res = await postWithAttachments(o, '/status', { body: 'Minutes attached', access: 'members' }, [
    { data: Buffer.from('Minutes'), name: 'minutes.txt' },
  ]);
  t.is(res.status, 303);
  const post = Number((await app.db('entities').where({ type: 'status' }).orderBy('id', 'desc').first('id')).id);
  const [file] = await attachedFiles(app, 'status', post);
  const first = await feedCard(app, m, post);
  t.true(first.card.includes('minutes.txt'));
  t.is((await feedCard(app, m, post)).reads, 0, 'a kept card reads no attachment');
  // Still being checked: its uploader's alone; ready again: everyone's.
  await app.db('files_items').where({ entity_id: file.entity_id }).update({ state: 'pending' });
  const pending = await feedCard(app, m, post);
  t.false(pending.card.includes('minutes.txt'), 'a pending file is not shown to others');
  t.is(pending.card, pending.uncached);
  const own = await feedCard(app, o, post);
  t.true(own.card.includes('minutes.txt'), 'its uploader sees it');
  await app.db('files_items').where({ entity_id: file.entity_id }).update({ state: 'ready' });
  t.true((await feedCard(app, m, post)).card.includes('minutes.txt'));
  await app.db('files_items').where({ entity_id: file.entity_id }).delete();
  const gone = await feedCard(app, m, post);
  t.false(gone.card.includes('minutes.txt'), 'a deleted attachment');
  t.is(gone.card, gone.uncached);
});
