// Issue 20: a quota is judged from an upload's declared length before its body is read. The
// pages' upload forms name their target in their address (`?mine=1`, `?container=`,
// `?album=`); a request declaring more than the quota left there is answered 413 at once,
// although its body never arrives (the test sends only its first bytes: a server that read on
// would wait for the rest and the request would time out). Without a target in the address, the
// exact check on the sizes received applies (safety.test).
import { eachAppOf } from '../../helpers/each-app';
import { rowCount } from '../../helpers/rows';
import { filesApp } from './support';

const eachApp = eachAppOf((db) => filesApp(db));
const BOUNDARY = 'RucheBoundary';
/** The first bytes of a form with one file: the part's headers and a little of the file. */
const opening = Buffer.concat([
  Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
  Buffer.alloc(1000, 'x'),
]);

eachApp('files: an upload declaring more than the quota left is refused before its body is read', async (t, app) => {
  const olga = await app.member('olga');
  const cora = await app.member('cora');
  await app.settings({ memberQuotaMb: 1, groupQuotaMb: 2 });
  const group = await app.container(olga, [cora]);
  const o = await app.as('olga');
  t.regex((await o.get('/files')).text, /action="\/files\?mine&#x3D;1"/, "the member's form names its target");
  t.regex((await o.get(`/files/in/${group}`)).text, new RegExp(`action="/files\\?container&#x3D;${group}"`), "the library's too");

  // Only the opening of a 5 MB body is sent, with its length declared.
  const partial = (to: string, declared: number, accept = 'text/html') =>
    o.agent.http
      .post(to)
      .timeout(30_000)
      .set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`)
      .set('Content-Length', String(declared))
      .set('Accept', accept)
      .send(opening);
  const mine = await partial('/files?mine=1', 5 * 1024 * 1024);
  t.is(mine.status, 413);
  t.true(mine.text.includes('Your files would go over your space: 0.0 MB used of 1.0 MB.'));
  const json = await partial('/files?mine=1', 5 * 1024 * 1024, 'application/json');
  t.is(json.status, 413);
  t.is(json.body.error.message, 'Your files would go over your space: 0.0 MB used of 1.0 MB.');
  const library = await partial(`/files?container=${group}`, 3 * 1024 * 1024);
  t.is(library.status, 413);
  t.true(library.text.includes('The group&#x27;s library would go over its space: 0.0 MB used of 2.0 MB.'));
  t.is(await rowCount(app.db('files_items')), 0);

  // Within the group's quota (though over the member's), the library's upload is read and kept.
  const fits = await o.agent.http
    .post(`/files?container=${group}`)
    .field('_csrf', await o.token())
    .field('container', String(group))
    .attach('files', Buffer.alloc(1200 * 1024, 'g'), { filename: 'minutes.txt', contentType: 'text/plain' });
  t.is(fits.status, 303);
  t.is(await rowCount(app.db('files_items')), 1);
});
