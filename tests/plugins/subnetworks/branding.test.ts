// Per-network branding (core/branding.ts, set from the subnetworks admin page): colours as
// a stylesheet per network (`/branding.css?v=<hash>`, no inline style under the CSP), a
// logo in the header; nothing leaks to other networks; bad colours and non-image logos are
// refused with a localised message and the form keeps what was typed.
import sharp from 'sharp';
import { ADMIN } from '../../helpers/app';
import { eachApp } from '../../helpers/each-app';
import { subApp, type SubApp } from './support';

const png = (): Promise<Buffer> =>
  sharp({ create: { width: 400, height: 200, channels: 3, background: '#0b6e4f' } })
    .png()
    .toBuffer();

async function brandForm(app: SubApp, login: string, password: string) {
  const a = await app.as(login, password);
  const page = await a.agent.http.get('/admin/networks/lyon');
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? a.token;
  return {
    a,
    send: (fields: Record<string, string>, logo?: { data: Buffer; name: string; type: string }, lang = 'en') => {
      let req = a.agent.http.post('/admin/networks/lyon/branding').set('Accept-Language', lang).field('_csrf', token);
      for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
      if (logo) req = req.attach('logo', logo.data, { filename: logo.name, contentType: logo.type });
      return req;
    },
  };
}

eachApp('branding: colours and logo of one network, applied to its pages only', subApp, async (t, app) => {
  const rt = app.rt;
  const lyon = await app.network('lyon', { name: 'Usine Lyon', host: 'lyon.example.test' });
  await app.network('paris', { name: 'Paris office' });
  const alice = await app.member('alice');
  await app.join(alice, lyon.id);
  const { send } = await brandForm(app, 'admin', ADMIN.password);
  let res = await send({ primary: '#0B6E4F', accent: 'ffcc00' }, { data: await png(), name: 'logo.png', type: 'image/png' });
  t.is(res.status, 303, res.text.slice(0, 300));
  const b = rt.networks.get(lyon.id)!.branding;
  t.is(b.primary, '#0b6e4f');
  t.is(b.accent, '#ffcc00');
  t.regex(b.logo ?? '', /^[a-f0-9]{20}$/);

  // Its pages link the stylesheet and show the logo, at /n/lyon and on its host, for members and guests.
  const al = await app.as('alice');
  for (const [path, host, prefix] of [
    ['/n/lyon/', undefined, '/n/lyon'],
    ['/', 'lyon.example.test', ''],
    ['/n/lyon/login', undefined, '/n/lyon'],
  ] as const) {
    const agent = path.endsWith('login') ? app.agent().http : al.agent.http;
    const req = agent.get(path);
    if (host) req.set('Host', host);
    res = await req;
    t.is(res.status, 200, path);
    t.regex(res.text, new RegExp(`<link rel="stylesheet" href="${prefix}/branding\\.css\\?v(=|&#x3D;)[a-f0-9]{12}">`), path);
    t.regex(res.text, new RegExp(`<img class="brand__logo" src="${prefix}/branding/logo/${b.logo}\\.png" alt="">`), path);
    t.notRegex(res.text, /<style|style="/, `${path}: no inline style`);
  }
  const v = /branding\.css\?v(?:=|&#x3D;)([a-f0-9]{12})/.exec(res.text)![1];
  res = await app.agent().http.get(`/n/lyon/branding.css?v=${v}`);
  t.is(res.status, 200);
  t.regex(res.headers['content-type'], /text\/css/);
  t.regex(res.headers['cache-control'], /immutable/);
  t.regex(res.text, /--color-primary: #0b6e4f;/);
  t.regex(res.text, /--color-on-primary: #ffffff;/, 'white text on a dark green');
  t.regex(res.text, /--color-brand: #ffcc00;/);
  t.notRegex((await app.agent().http.get('/n/lyon/branding.css?v=old')).headers['cache-control'], /immutable/);
  res = await app.agent().http.get(`/n/lyon/branding/logo/${b.logo}.png`);
  t.is(res.status, 200);
  t.is(res.headers['content-type'], 'image/png');
  const meta = await sharp(res.body as Buffer).metadata();
  t.true((meta.height ?? 999) <= 96, 'resized to 96 px high at most');

  // Nothing leaks to the root or another network.
  for (const path of ['/', '/n/paris/login', '/login']) {
    res = await (path === '/' ? al.agent.http : app.agent().http).get(path);
    t.notRegex(res.text, /branding\.css|brand__logo/, path);
  }
  t.is((await app.agent().http.get('/branding.css')).text, '', 'the root has no colours');
  t.is((await app.agent().http.get(`/n/paris/branding/logo/${b.logo}.png`)).status, 404, 'another network does not serve it');

  // A light primary colour gets dark text.
  res = await send({ primary: '#ffe066', accent: '' });
  t.is(res.status, 303);
  t.is(rt.networks.get(lyon.id)!.branding.logo, b.logo, 'no file sent: the logo is kept');
  res = await app.agent().http.get('/n/lyon/branding.css');
  t.regex(res.text, /--color-on-primary: #111111;/);
  t.notRegex(res.text, /--color-link/, 'links keep the theme’s readable colour');
  t.is(rt.networks.get(lyon.id)!.branding.accent, null);
  // Removing the logo.
  res = await send({ primary: '#ffe066', accent: '', removeLogo: 'on' });
  t.is(res.status, 303);
  t.is(rt.networks.get(lyon.id)!.branding.logo, null);
  t.is((await app.agent().http.get(`/n/lyon/branding/logo/${b.logo}.png`)).status, 404, 'the old file is deleted');
});

eachApp('branding: bad colours and non-image logos are refused, localised, the form kept; only admins', subApp, async (t, app) => {
  const rt = app.rt;
  const lyon = await app.network('lyon', { name: 'Usine Lyon' });
  await rt.networks.setBranding(lyon.id, { primary: '#123456' });
  const { send } = await brandForm(app, 'admin', ADMIN.password);
  let res = await send({ primary: 'red', accent: '#abcdef' });
  t.is(res.status, 422);
  t.regex(res.text, /Write the colour as # followed by six hexadecimal digits/);
  t.regex(res.text, /name="primary" type="text" value="red"/);
  t.regex(res.text, /name="accent" type="text" value="#abcdef"/);
  const french = (on: boolean) =>
    rt
      .db('users')
      .where({ username_lower: 'admin' })
      .update({ locale: on ? 'fr' : 'en' });
  await french(true);
  res = await send({ primary: '#12345', accent: '' }, undefined, 'fr');
  t.is(res.status, 422);
  t.regex(res.text, /Écrivez la couleur avec # suivi de six chiffres hexadécimaux/);
  await french(false);
  res = await send({ primary: '#0b6e4f', accent: '' }, { data: Buffer.from('<svg onload="alert(1)"></svg>'), name: 'logo.png', type: 'image/png' });
  t.is(res.status, 422);
  t.regex(res.text, /The logo must be a PNG, JPEG, GIF or WebP image/);
  t.regex(res.text, /name="primary" type="text" value="#0b6e4f"/, 'the colour typed is kept');
  await french(true);
  res = await send(
    { primary: '#0b6e4f', accent: '' },
    { data: Buffer.from('%PDF-1.4 not an image'), name: 'logo.pdf', type: 'application/pdf' },
    'fr',
  );
  t.regex(res.text, /Le logo doit être une image PNG, JPEG, GIF ou WebP/);
  t.deepEqual(rt.networks.get(lyon.id)!.branding, { primary: '#123456', accent: null, logo: null }, 'nothing saved');

  // Members (even the sub-network's own admin) cannot change it: root admins only, as the other settings.
  const bob = await app.member('bob');
  await app.join(bob, lyon.id, 'admin');
  const m = await app.as('bob');
  res = await m.agent.http.post('/admin/networks/lyon/branding').field('_csrf', m.token).field('primary', '#000000');
  t.is(res.status, 403);
  const guest = app.agent();
  const token = await guest.csrf('/login');
  res = await guest.http.post('/admin/networks/lyon/branding').field('_csrf', token).field('primary', '#000000');
  t.true(res.status === 401 || res.status === 302);
  t.is(rt.networks.get(lyon.id)!.branding.primary, '#123456');
});
