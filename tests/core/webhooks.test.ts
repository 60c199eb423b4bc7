/**
 * Webhooks end to end, against a receiver the test starts on 127.0.0.1 (allowed by the
 * configuration where the test says so): the admin page subscribes, a status post fires
 * `activity.posted`, the job runner delivers — signed, retried after a 500, recorded,
 * re-sendable — only what a member of the webhook's network may see, and only to that
 * network's webhooks; loopback is refused without the configuration's leave, at subscription
 * and at delivery.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import test, { type ExecutionContext } from 'ava';
import { isPrivateAddress, verifyWebhookSignature, type Runtime, type WebhookInputError } from '../../core';
import { eachApp } from '../helpers/each-app';
import { actApp, type ActApp } from '../plugins/activity/support';
import { addMemberships, addSubNetwork, createMember, formGroup, pageAgent, signedIn, type PageAgent } from '../helpers/members';
import { ADMIN } from '../helpers/app';
import { countRows } from '../helpers/rows';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A receiver answering each POST with the next status of `statuses` (the last one repeats). */
async function receiver(statuses: number[]): Promise<{ url: string; got: Received[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(statuses[Math.min(got.length, statuses.length) - 1], { 'content-type': 'text/plain' });
      res.end(`answer ${got.length} `.repeat(300));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, got, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** `eachApp` with a receiver answering `statuses` (see `receiver`) for the test, closed after it even when the test fails. */
function eachWithReceiver(
  title: string,
  build: (db: Parameters<typeof actApp>[0]) => Promise<ActApp>,
  statuses: number[],
  fn: (t: ExecutionContext, app: ActApp, hook: Awaited<ReturnType<typeof receiver>>) => Promise<void>,
): void {
  eachApp(title, build, async (t, app) => {
    const hook = await receiver(statuses);
    try {
      await fn(t, app, hook);
    } finally {
      await hook.close();
    }
  });
}

const allowing = (db: Parameters<typeof actApp>[0]) => actApp(db, { webhooks: { allowPrivateAddresses: true } });

async function adminPages(app: ActApp, base = ''): Promise<PageAgent> {
  return pageAgent(await signedIn(app, ADMIN.username, ADMIN.password), `${base}/admin/webhooks`);
}

/** Subscribes `url` to `events` from the admin page of `base`; answers the webhook id and its secret. */
async function subscribe(admin: PageAgent, rt: Runtime, url: string, events: string[], base = ''): Promise<{ id: number; secret: string }> {
  const res = await admin.post(`${base}/admin/webhooks`, { url, events, description: 'CI' });
  if (res.status !== 201) throw new Error(`subscribing failed: ${res.status} ${res.text.slice(0, 500)}`);
  const secret = /whsec_[A-Za-z0-9_-]+/.exec(res.text)?.[0];
  const row = (await rt.db('webhooks').where({ url }).orderBy('id', 'desc').first('id')) as { id: number };
  if (!secret) throw new Error('no secret shown');
  return { id: Number(row.id), secret };
}

/** Runs the jobs due at `now` until none is left: an event's dispatch job, then the deliveries it queued. */
async function runJobs(rt: Runtime, now: number): Promise<void> {
  for (let pass = 0; pass < 5 && (await rt.jobs.runDue({ now })) > 0; pass++);
}

const deliveries = async (rt: Runtime, webhookId: number) =>
  (await rt.db('webhook_deliveries').where({ webhook_id: webhookId }).orderBy('id')) as Record<string, unknown>[];

test('private, loopback, link-local and unique-local addresses are told apart from public ones', (t) => {
  for (const a of [
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.9',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
  ])
    t.true(isPrivateAddress(a), a);
  for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8']) t.false(isPrivateAddress(a), a);
});

eachWithReceiver(
  'a delivery is signed, retried after a 500, recorded, and sent again from the admin page',
  allowing,
  [500, 200],
  async (t, app, hook) => {
    const rt = app.rt;
    await app.member('alice');
    const admin = await adminPages(app);
    const { id, secret } = await subscribe(admin, rt, hook.url, ['activity.posted', 'core.member.joined']);
    const again = await admin.post('/admin/webhooks', { url: hook.url, events: ['activity.posted', 'core.member.joined'], description: 'CI' });
    t.is(again.status, 201, 'a double submit answers as the first');
    t.true(again.text.includes(secret), 'with the same secret');
    t.is((await rt.db('webhooks').where({ url: hook.url }).pluck('id')).length, 1, 'and makes no second webhook');
    const audit = await rt
      .db('audit_log')
      .where({ action: 'core.webhook.create', object_id: String(id) })
      .first();
    t.truthy(audit, 'the subscription is in the audit log');
    t.false(String(audit.after).includes('whsec_'), 'the audit log does not keep the secret');

    const postId = await app.post('alice', 'Release 4.2 is out #ship', 'members');
    const now = Date.now();
    await runJobs(rt, now);
    t.is(hook.got.length, 1);
    let [d] = await deliveries(rt, id);
    t.is(d.status, 'retrying');
    t.is(Number(d.response_status), 500);
    t.true(String(d.response_excerpt).length <= 1000, 'the answer kept is bounded');

    await runJobs(rt, now + 31_000);
    t.is(hook.got.length, 2, 'retried after the backoff');
    [d] = await deliveries(rt, id);
    t.is(d.status, 'delivered');
    t.is(Number(d.attempts), 2);
    t.is(Number(d.response_status), 200);

    const { headers, body } = hook.got[1];
    const timestamp = Number(headers['ruche-timestamp']);
    t.true(verifyWebhookSignature(secret, timestamp, body, String(headers['ruche-signature'])), 'the signature verifies');
    t.false(verifyWebhookSignature(secret, timestamp + 1, body, String(headers['ruche-signature'])), 'another timestamp does not');
    t.false(verifyWebhookSignature('whsec_other', timestamp, body, String(headers['ruche-signature'])), 'another secret does not');
    t.is(headers['ruche-event'], 'activity.posted');
    const payload = JSON.parse(body) as { event: string; data: { post: { id: number; body: string; author: { username: string }; url: string } } };
    t.is(payload.event, 'activity.posted');
    t.is(payload.data.post.id, postId);
    t.is(payload.data.post.body, 'Release 4.2 is out #ship');
    t.is(payload.data.post.author.username, 'alice');
    t.true(payload.data.post.url.endsWith(`/status/${postId}`));

    const page = await admin.get(`/admin/webhooks/${id}`);
    t.is(page.status, 200);
    t.regex(page.text, /Delivered/);
    t.regex(page.text, /HTTP 200/);
    const resend = `/admin/webhooks/${id}/deliveries/${String(d.id)}/resend`;
    t.is((await admin.post(resend)).status, 303);
    t.is((await admin.post(resend)).status, 303, 'a double click answers as the first');
    await runJobs(rt, now + 60_000);
    t.is(hook.got.length, 3, 'sent again once');
    t.is(hook.got[2].body, body, 'the same body, signed afresh');
    t.truthy(await rt.db('audit_log').where({ action: 'core.webhook.resend' }).first());
  },
);

eachWithReceiver('loopback is refused without the configuration, at subscription and at delivery', actApp, [200], async (t, app, hook) => {
  const rt = app.rt;
  await app.member('alice');
  const admin = await adminPages(app);
  const res = await admin.post('/admin/webhooks', { url: hook.url, events: ['activity.posted'] });
  t.is(res.status, 422);
  t.regex(res.text, /private or local network/);
  t.true(res.text.includes(`value="${hook.url}"`), 'the address typed is kept');
  t.regex(res.text, /id="event-activity\.posted"[^>]* checked/, 'the events chosen are kept');
  t.is(await countRows(rt.db, 'webhooks'), 0);

  const empty = await admin.post('/admin/webhooks', { url: 'ftp://example.com/x' });
  t.is(empty.status, 422);
  t.regex(empty.text, /Choose at least one event/);
  t.regex(empty.text, /full http:\/\/ or https:\/\/ address/);

  // A webhook saved while the address was allowed (or whose name now resolves to loopback): refused when delivering.
  const [row] = await rt
    .db('webhooks')
    .insert({
      network_id: rt.networks.root().id,
      url: hook.url,
      events: JSON.stringify(['activity.posted']),
      secret: 'whsec_x',
      owner: 'admin',
      created_at: Date.now(),
    })
    .returning('id');
  const id = Number(typeof row === 'object' ? (row as { id: number }).id : row);
  await app.post('alice', 'Nothing leaves for loopback', 'members');
  await runJobs(rt, Date.now());
  await runJobs(rt, Date.now() + 3_600_000);
  t.is(hook.got.length, 0, 'nothing reached the receiver');
  const [d] = await deliveries(rt, id);
  t.is(d.status, 'failed');
  t.is(d.error, 'address refused: private');
});

eachApp('payloads respect the scope: a group post reaches no webhook, a network post only its network’s', allowing, async (t, app) => {
  const rt = app.rt;
  const rootHook = await receiver([200]);
  const otherHook = await receiver([200]);
  try {
    const alice = await app.member('alice');
    const bob = await app.member('bob');
    const b = await addSubNetwork(rt, 'b');
    await addMemberships(rt, b, [bob], 'admin');
    await addMemberships(rt, b, [alice]);
    const rootAdmin = await adminPages(app);
    const { id: rootId } = await subscribe(rootAdmin, rt, rootHook.url, ['activity.posted']);
    const bobAdmin = pageAgent(await signedIn(app, 'bob'), '/n/b/admin/webhooks');
    const { id: otherId } = await subscribe(bobAdmin, rt, otherHook.url, ['activity.posted'], '/n/b');

    // A post in a group alice belongs to (a secret group's post: level `group`), fired as the activity service fires it.
    const group = await app.container(alice, []);
    const secret = await app.quickPost(alice, 'Secret plans', 'group', { containerId: group });
    await rt.hooks.emit('activity:posted', { networkId: rt.networks.root().id, entityId: secret, actorId: alice });
    const open = await app.post('alice', 'Open news', 'members');
    await runJobs(rt, Date.now());

    t.is(rootHook.got.length, 1, "the root network's webhook gets the open post only");
    t.is((JSON.parse(rootHook.got[0].body) as { data: { post: { id: number } } }).data.post.id, open);
    t.false(rootHook.got.some((r) => r.body.includes('Secret plans')));
    t.is(otherHook.got.length, 0, "another network's webhook gets nothing of the root's posts");
    t.is((await deliveries(rt, rootId)).length, 1);
    t.is((await deliveries(rt, otherId)).length, 0);

    // Posted in network b: b's webhook only.
    const inB = await app.quickPost(alice, 'News of b', 'network', { networkId: b });
    await rt.hooks.emit('activity:posted', { networkId: b, entityId: inB, actorId: alice });
    await runJobs(rt, Date.now());
    t.is(otherHook.got.length, 1);
    t.is(rootHook.got.length, 1);
  } finally {
    await rootHook.close();
    await otherHook.close();
  }
});

eachApp("an admin of one network cannot see, resend or delete another network's webhooks", allowing, async (t, app) => {
  const rt = app.rt;
  const bob = await app.member('bob');
  const b = await addSubNetwork(rt, 'b');
  await addMemberships(rt, b, [bob], 'admin');
  const rootAdmin = await adminPages(app);
  const { id } = await subscribe(rootAdmin, rt, 'http://127.0.0.1:9/root-only', ['core.member.joined']);
  const bobAdmin = pageAgent(await signedIn(app, 'bob'), '/n/b/admin/webhooks');

  const list = await bobAdmin.get('/n/b/admin/webhooks');
  t.is(list.status, 200);
  t.false(list.text.includes('root-only'));
  t.is((await bobAdmin.get(`/n/b/admin/webhooks/${id}`)).status, 404);
  t.is((await bobAdmin.post(`/n/b/admin/webhooks/${id}/deliveries/1/resend`)).status, 404);
  await bobAdmin.post(`/n/b/admin/webhooks/${id}/delete`);
  t.truthy(await rt.db('webhooks').where({ id }).first(), 'still there');
  t.is((await bobAdmin.get(`/admin/webhooks`)).status, 403, 'nor through the root network');

  const del = await rootAdmin.post(`/admin/webhooks/${id}/delete`);
  t.is(del.status, 303);
  t.falsy(await rt.db('webhooks').where({ id }).first());
  t.truthy(
    await rt
      .db('audit_log')
      .where({ action: 'core.webhook.delete', object_id: String(id) })
      .first(),
  );
});

eachApp('plugin code subscribes an address itself: checked like the form, in the audit log, shown as the plugin’s', allowing, async (t, app) => {
  const rt = app.rt;
  const root = rt.networks.root().id;
  const by = { owner: 'activity', actorId: null, actorName: 'activity' };
  const refused = await t.throwsAsync(rt.webhooks.subscribe(root, { url: 'javascript:alert(1)', events: ['nope.event'] }, by));
  t.deepEqual((refused as WebhookInputError).errors, { url: 'core.webhooks.errors.url', events: 'core.webhooks.errors.eventUnknown' });
  const { webhook, secret } = await rt.webhooks.subscribe(root, { url: 'http://127.0.0.1:9/bot', events: ['activity.posted'] }, by);
  t.regex(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
  t.is(webhook.owner, 'activity');
  const audit = await rt
    .db('audit_log')
    .where({ action: 'core.webhook.create', object_id: String(webhook.id) })
    .first();
  t.is(audit.actor_name, 'activity');
  const admin = await adminPages(app);
  t.regex((await admin.get('/admin/webhooks')).text, /Added by the activity plugin/);
});

eachWithReceiver('a group’s creation reaches the network’s webhooks, a secret group’s does not', allowing, [200], async (t, app, hook) => {
  const rt = app.rt;
  await app.member('alice');
  const admin = await adminPages(app);
  await subscribe(admin, rt, hook.url, ['groups.created']);
  const alice = pageAgent(await signedIn(app, 'alice'), '/groups');
  const group = (name: string, visibility: string) => formGroup(alice, rt, { name, visibility, description: 'About it.', category: 'social' });
  const open = await group('Release crew', 'open');
  await group('Board of directors', 'secret');
  const closed = await group('Night shift', 'closed');
  await runJobs(rt, Date.now());
  const sent = hook.got.map((r) => (JSON.parse(r.body) as { data: { group: { id: number; name: string; visibility: string } } }).data.group);
  t.deepEqual(
    sent.map((g) => [g.id, g.name, g.visibility]).sort(),
    [
      [open, 'Release crew', 'open'],
      [closed, 'Night shift', 'closed'],
    ].sort(),
  );
  t.false(hook.got.some((r) => r.body.includes('Board of directors')));
});

eachWithReceiver('a member who joined is announced; an account left waiting for approval is not', allowing, [200], async (t, app, hook) => {
  const rt = app.rt;
  const admin = await adminPages(app);
  await subscribe(admin, rt, hook.url, ['core.member.joined']);
  const nadia = await app.member('nadia', 'Nadia Benali');
  // Registration creates the account, then sets it waiting (approval, address to confirm) in the same request.
  const waiting = await app.member('walter');
  await rt.db('users').where({ id: waiting }).update({ status: 'pending' });
  await runJobs(rt, Date.now());
  t.is(hook.got.length, 1);
  const { data } = JSON.parse(hook.got[0].body) as { data: { member: unknown } };
  t.deepEqual(data.member, { id: nadia, username: 'nadia', displayName: 'Nadia Benali' });
});

eachApp('a French admin’s bad input is refused in French, what they typed kept', actApp, async (t, app) => {
  await createMember(app.rt, 'amelie', { role: 'admin', locale: 'fr' });
  const admin = pageAgent(await signedIn(app, 'amelie'), '/admin/webhooks');
  const res = await admin.post('/admin/webhooks', { url: 'http://localhost:8080/hooks', description: 'Paie' });
  t.is(res.status, 422);
  t.regex(res.text, /Choisissez au moins un événement\./);
  t.regex(res.text, /réseau privé ou local/);
  t.true(res.text.includes('value="http://localhost:8080/hooks"'));
  t.true(res.text.includes('value="Paie"'));
});
