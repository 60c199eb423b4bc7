// The directory over TLS, against slapd holding a certificate made by the test: ldaps:// and
// StartTLS sign people in when `caFile` names the certificate's CA; a wrong CA (or none) is
// refused, on the sign-in page (502, details in the log) and by `ruche sso test ldap` with a
// message saying what to set.
import type { SsoCheckReport } from '../../../core';
import { selfSignedCertificate } from '../../helpers/certificates';
import { eachLdapTlsApp, ldapSignIn, type LdapApp } from './support';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const check = (app: LdapApp) =>
  app.rt.hooks.filter('sso:check', null, {
    provider: 'ldap',
    networkId: app.rt.networks.root().id,
    siteUrl: app.config.siteUrl,
  }) as Promise<SsoCheckReport>;
const connection = async (app: LdapApp) => (await check(app)).steps.find((s) => s.label.startsWith('connection'));

eachLdapTlsApp('ldaps:// and StartTLS with the right CA sign in; a wrong CA or none is refused with a clear message', async (t, app) => {
  const { ldapsUrl, caFile, url } = app.directory;
  await app.rt.pluginState.configure('sso-ldap', { url: ldapsUrl!, caFile: caFile!, startTls: false });
  t.like(await connection(app), { ok: true });
  t.is((await ldapSignIn(app.agent(), 'jane', 'jane-pass')).status, 303, 'ldaps://');

  await app.rt.pluginState.configure('sso-ldap', { url, caFile: caFile!, startTls: true });
  t.like(await connection(app), { ok: true });
  t.is((await ldapSignIn(app.agent(), 'bob', 'bob-pass')).status, 303, 'StartTLS');

  // Another CA: the certificate does not verify.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ruche-wrong-ca-'));
  const wrongCa = path.join(dir, 'ca.pem');
  await writeFile(wrongCa, selfSignedCertificate('not-the-directory', 'IP:127.0.0.1').cert);
  for (const settings of [
    { url: ldapsUrl!, caFile: wrongCa, startTls: false },
    { url, caFile: wrongCa, startTls: true },
    { url: ldapsUrl!, caFile: '', startTls: false },
  ]) {
    await app.rt.pluginState.configure('sso-ldap', settings);
    const step = await connection(app);
    t.false(step?.ok, JSON.stringify(settings));
    t.regex(step?.detail ?? '', /^the directory's certificate is not trusted \(.+\): set caFile to the certificate of the CA that signed it$/);
    const res = await ldapSignIn(app.agent(), 'jane', 'jane-pass');
    t.is(res.status, 502);
    t.notRegex(res.text, /certificate|caFile/, 'the details go to the log only');
  }
});
