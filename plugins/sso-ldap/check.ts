/**
 * `ruche sso test ldap`: the network's directory checked step by step, as sign-in and sync
 * use it — configured, reachable (with StartTLS when asked), the service account's bind,
 * people found by `userFilter` with the attributes mapped, the group rules.
 */
import { groupRulesCheck, type NetworkInfo, type SsoCheckReport, type SsoCheckStep } from '../../core';
import { describe, listPeople, withClient } from './directory';
import type { LdapSettings } from './settings';

export async function checkDirectory(s: LdapSettings | undefined, network: NetworkInfo): Promise<SsoCheckReport> {
  const steps: SsoCheckStep[] = [];
  const report = { provider: 'ldap', steps };
  if (!s) {
    steps.push({
      label: 'configuration',
      ok: false,
      detail: `set url, baseDn and bindDn/bindPassword (or userDnTemplate): ruche plugin config sso-ldap url=ldaps://... baseDn=... --network ${network.slug}`,
    });
    return report;
  }
  const mode = s.bindDn ? `service account ${s.bindDn}` : `bind as ${s.userDnTemplate}`;
  steps.push({ label: 'configuration', ok: true, detail: `${s.url}${s.startTls ? ' with StartTLS' : ''}, base ${s.baseDn}, ${mode}` });
  try {
    await withClient(s, async (client) => {
      if (s.bindDn) await client.bind(s.bindDn, s.bindPassword);
    });
    steps.push({ label: s.bindDn ? 'connection and service account' : 'connection', ok: true });
  } catch (e) {
    steps.push({ label: s.bindDn ? 'connection and service account' : 'connection', ok: false, detail: String(describe(e).message) });
    return report;
  }
  if (s.bindDn) {
    try {
      const people = await listPeople(s);
      const complete = people.filter((p) => p.email).length;
      const disabled = people.filter((p) => p.disabled).length;
      steps.push({
        label: 'people',
        ok: people.length > 0,
        detail: `${people.length} found by ${s.userFilter || '(objectClass=*)'}; ${complete} with ${s.emailAttribute}; ${disabled} disabled${people[0] ? `; e.g. ${people[0].login} <${people[0].email ?? 'no address'}> (${s.idAttribute} ${people[0].id})` : ''}`,
      });
    } catch (e) {
      steps.push({ label: 'people', ok: false, detail: String(describe(e).message) });
    }
  }
  steps.push(groupRulesCheck(s.groupMap));
  return report;
}
