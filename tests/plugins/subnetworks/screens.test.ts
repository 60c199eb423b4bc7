/**
 * In a real browser, at 390 px and 1280 px (tests/e2e/artifacts/subnetworks/): the page a
 * partner member gets at the root (403, their networks), the 404 page of an unknown host
 * name, and a sub-network with its own colours and logo. Nothing may stick out sideways.
 */
import http from 'node:http';
import test from 'ava';
import sharp from 'sharp';
import { storeLogo } from '../../../core/branding';
import { ADMIN } from '../../helpers/app';
import { withBrowserApp } from '../../helpers/browser-app';
import { shootWidths, signInPage } from '../../helpers/browser';

const PASSWORD = 'amber lantern field 4';
const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="96" viewBox="0 0 240 96">
  <rect x="4" y="8" width="80" height="80" rx="18" fill="#0b6e4f"/><circle cx="44" cy="48" r="22" fill="#f2b705"/>
  <text x="100" y="62" font-family="sans-serif" font-size="40" font-weight="700" fill="#0b6e4f">LYON</text></svg>`;

/** A page fetched with another Host header (a browser cannot be told to send one). */
function fetchWithHost(url: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { host, 'accept-language': 'fr' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

test('screens: outsider page, unknown host, a branded sub-network', async (t) => {
  await withBrowserApp(t, async ({ app, browser }) => {
    const url = app.config.siteUrl;
    const rt = app.app.ruche;
    const lyon = await rt.networks.create({ slug: 'lyon', name: 'Usine Lyon' });
    const partner = await rt.networks.create({ slug: 'partner', name: 'Partner Co', isolated: true });
    const logo = await storeLogo(rt.storage, lyon.id, await sharp(Buffer.from(LOGO_SVG)).png().toBuffer());
    if (!('hash' in logo)) throw new Error('logo refused');
    await rt.networks.setBranding(lyon.id, { primary: '#0b6e4f', accent: '#f2b705', logo: logo.hash });
    const made = await rt.users.create({
      username: 'pat',
      email: 'pat@partner.test',
      displayName: 'Pat Partner',
      password: PASSWORD,
      emailVerified: true,
      networkId: partner.id,
    });
    if (!('id' in made)) throw new Error('pat refused');

    const page = await browser.newPage();
    // A partner member at the root: the page of their networks, with "Join Usine Lyon" at Lyon.
    await signInPage(page, url, 'pat', PASSWORD);
    t.regex((await page.textContent('h1')) ?? '', /You are not a member of Test network/);
    let overflow = await shootWidths(page, 'subnetworks/outsider-root');
    t.deepEqual(overflow, { phone: 0, desktop: 0 });
    await page.goto(`${url}/n/lyon/`);
    t.regex((await page.textContent('main')) ?? '', /Join Usine Lyon/);
    overflow = await shootWidths(page, 'subnetworks/outsider-lyon');
    t.deepEqual(overflow, { phone: 0, desktop: 0 });

    // An unknown host name: the 404 page (served from the real server, shown in the browser).
    const html = await fetchWithHost(`${url}/`, 'unknown.example.test');
    t.regex(html, /Aucun réseau ne répond/);
    await page.route(`${url}/unknown-host`, (route) => route.fulfill({ status: 404, contentType: 'text/html; charset=utf-8', body: html }));
    await page.goto(`${url}/unknown-host`);
    overflow = await shootWidths(page, 'subnetworks/unknown-host');
    t.deepEqual(overflow, { phone: 0, desktop: 0 });

    // A branded sub-network, seen by the root admin.
    const admin = await browser.newPage();
    await signInPage(admin, url, ADMIN.username, ADMIN.password);
    await admin.goto(`${url}/n/lyon/activity`);
    t.true(await admin.isVisible('img.brand__logo'));
    const primary = await admin.evaluate<string>('getComputedStyle(document.documentElement).getPropertyValue("--color-primary").trim()');
    t.is(primary, '#0b6e4f');
    overflow = await shootWidths(admin, 'subnetworks/branded');
    t.deepEqual(overflow, { phone: 0, desktop: 0 });
    await admin.goto(`${url}/admin/networks/lyon`);
    overflow = await shootWidths(admin, 'subnetworks/branding-form');
    t.deepEqual(overflow, { phone: 0, desktop: 0 });
  });
});
