/**
 * The directory sync: everyone the directory lists is created (under the network's join
 * policy) or linked, their kept fields and mapped roles updated (roles of groups they left
 * taken back); linked members the directory marks disabled, or no longer lists (leavers), are
 * suspended (their sessions end at once), and reactivated when the directory lists them again
 * enabled (only a suspension the sync made: an administrator's stands). A dry run computes
 * the same changes and makes none. A directory answering no one changes
 * nothing (a wrong base DN or filter must not suspend everybody).
 */
import type { NetworkInfo, RoleChange, Runtime, SsoSyncChange, SsoSyncReport } from '../../core';
import { listPeople, describe, type DirectoryPerson } from './directory';
import { identityOf } from './identity';
import { PROVIDER_NAME } from './constants';
import { providerId, type LdapSettings } from './settings';

type SyncRuntime = Pick<Runtime, 'db' | 'networks' | 'externalAccounts' | 'users' | 'logger' | 'suspensions' | 'audit'>;

const DISABLED = 'Disabled in the directory (LDAP sync)';
const LEFT = 'No longer in the directory (LDAP sync)';

export async function syncDirectory(rt: SyncRuntime, network: NetworkInfo, s: LdapSettings, dryRun: boolean): Promise<SsoSyncReport> {
  const report: SsoSyncReport = { provider: PROVIDER_NAME, dryRun, read: 0, changes: [] };
  if (!s.bindDn) return { ...report, error: 'the sync reads the directory with a service account: set bindDn and bindPassword' };
  let people: DirectoryPerson[];
  try {
    people = await listPeople(s);
  } catch (e) {
    return { ...report, error: `the directory could not be read: ${String(describe(e).message)}` };
  }
  report.read = people.length;
  if (!people.length) return { ...report, error: 'the directory listed no one (check baseDn and userFilter); nothing was changed' };
  const provider = providerId(s);
  const linked = new Map((await rt.externalAccounts.linkedTo(provider)).map((l) => [l.subject, l.userId]));
  const change = (c: SsoSyncChange) => report.changes.push(c);
  const listed = new Set<string>();
  for (const person of people) {
    listed.add(person.id);
    const who = person.login;
    const userId = linked.get(person.id);
    if (person.disabled) {
      if (userId !== undefined && (await suspend(rt, userId, DISABLED, dryRun)))
        change({ action: 'suspend', who, detail: 'disabled in the directory' });
      continue;
    }
    const identity = identityOf(rt, s, person);
    if (userId === undefined) {
      const decision = await rt.externalAccounts.decide(network, identity);
      if (decision.action === 'refuse') {
        change({ action: 'refuse', who, detail: decision.reason });
        continue;
      }
      const action = decision.action === 'create' ? 'create' : 'link';
      change({ action, who, detail: identity.email });
      if (!dryRun) {
        const result = await rt.externalAccounts.signIn(network, identity);
        if (!result.ok) change({ action: 'refuse', who, detail: result.reason });
      }
      continue;
    }
    if (await reactivate(rt, userId, dryRun)) change({ action: 'reactivate', who, detail: 'back in the directory' });
    const updated = dryRun ? await wouldUpdate(rt, provider, identity) : await update(rt, network, provider, identity);
    if (updated.length) change({ action: 'update', who, detail: updated.join(', ') });
  }
  for (const [subject, userId] of linked) {
    if (listed.has(subject)) continue;
    if (await suspend(rt, userId, LEFT, dryRun))
      change({ action: 'suspend', who: await usernameOf(rt, userId), detail: 'no longer in the directory' });
  }
  if (!dryRun) rt.logger.info({ provider, network: network.slug, read: report.read, changes: report.changes.length }, 'directory synced');
  return report;
}

/**
 * Suspends an active (or pending) member until an administrator reactivates them (sessions
 * end at once), with the reason and an audit entry; false when already suspended, or when
 * they are the only active root administrator (logged: someone must be able to get in).
 */
async function suspend(rt: SyncRuntime, userId: number, reason: string, dryRun: boolean): Promise<boolean> {
  const user = await rt.db('users').where({ id: userId }).first('status');
  if (!user || user.status === 'suspended') return false;
  if (dryRun) return true;
  const done = await rt.suspensions.suspend(userId, { reason, until: null });
  if ('refused' in done) {
    rt.logger.warn({ userId, refused: done.refused }, 'directory sync: member not suspended');
    return false;
  }
  await rt.audit.record({
    action: 'core.user.suspend',
    networkId: null,
    actorId: null,
    actorName: 'sso-ldap',
    objectType: 'user',
    objectId: userId,
    before: { status: done.status },
    after: { status: 'suspended', reason, until: null },
  });
  return true;
}

/**
 * Reactivates a member the sync suspended (disabled or gone) whom the directory lists enabled
 * again, with an audit entry; false when not suspended, or suspended by someone else.
 */
async function reactivate(rt: SyncRuntime, userId: number, dryRun: boolean): Promise<boolean> {
  const user = await rt.db('users').where({ id: userId }).first('status', 'suspension_reason');
  if (user?.status !== 'suspended' || ![DISABLED, LEFT].includes(String(user.suspension_reason))) return false;
  if (dryRun) return true;
  if (!(await rt.suspensions.reactivate(userId))) return false;
  await rt.audit.record({
    action: 'core.user.unsuspend',
    networkId: null,
    actorId: null,
    actorName: 'sso-ldap',
    objectType: 'user',
    objectId: userId,
    before: { status: 'suspended', reason: user.suspension_reason, until: null },
    after: { status: 'active' },
  });
  return true;
}

type Identity = ReturnType<typeof identityOf>;

async function update(rt: SyncRuntime, network: NetworkInfo, provider: string, identity: Identity): Promise<string[]> {
  const fields = await rt.externalAccounts.syncProfile(network, provider, identity.subject, identity.synced);
  const roles = await rt.externalAccounts.applyRoles(provider, identity.subject, identity.roles ?? []);
  return [...fields, ...roles.map((r) => roleText(rt, r))];
}

/** The kept fields and roles that would change (a dry run's `update`). */
async function wouldUpdate(rt: SyncRuntime, provider: string, identity: Identity): Promise<string[]> {
  const synced: Record<string, string | undefined> = identity.synced ?? {};
  const row = await rt.db('user_identities').where({ provider, subject: identity.subject }).first('synced');
  const stored = row?.synced ? (JSON.parse(String(row.synced)) as Record<string, string>) : {};
  const fields = Object.keys({ ...stored, ...synced }).filter((k) => (synced[k]?.trim() || undefined) !== stored[k]);
  const { changes } = await rt.externalAccounts.planRoles(provider, identity.subject, identity.roles ?? []);
  return [...fields, ...changes.map((r) => roleText(rt, r))];
}

/** `role moderator in partner`, or `no role in partner` when the member leaves it. */
function roleText(rt: SyncRuntime, change: RoleChange): string {
  const network = rt.networks.get(change.networkId)?.slug ?? String(change.networkId);
  return change.role ? `role ${change.role} in ${network}` : `no role in ${network}`;
}

async function usernameOf(rt: SyncRuntime, userId: number): Promise<string> {
  return String((await rt.db('users').where({ id: userId }).first('username'))?.username ?? `#${userId}`);
}
