/**
 * `ruche user add|list|role|reset-password|suspend|unsuspend`: member accounts from the
 * command line, through the core's Users service (rt.users), so the same validation,
 * localised messages and session rules apply as on the web. Accounts made here count as
 * having a verified email (an administrator typed it), as at install and setup.
 */
import crypto from 'node:crypto';
import { Argument, Option, type Command } from 'commander';
import type { Knex } from 'knex';
import type { Role, Runtime } from '../../core';
import { passwordProblem } from '../../core/auth/passwords';
import type { FieldErrors } from '../../core/auth/users';
import type { UserRow } from '../../core/auth/user-lookups';
import { ROLES } from '../../core/auth/viewer';
import { askNewPassword, usernameFromEmail } from '../accounts';
import { cliAudit, interactive, networkLabel, resolveNetwork, runtimeAction, withRuntime, type Cli } from '../context';
import { CliError, printList, say } from '../output';

interface AddFlags {
  email: string;
  username?: string;
  name?: string;
  password?: string;
  role?: Role;
  network?: string;
  rootAdmin?: boolean;
}

/** The flag each field of the core's validation comes from, to name it in a refusal. */
const FIELD_FLAGS: Record<string, string> = { username: '--username', email: '--email', displayName: '--name', password: '--password' };

const NO_TERMINAL_PASSWORD = 'no terminal to ask for the password in: give it with --password';

export function registerUser(program: Command, cli: Cli): void {
  const user = program.command('user').description('add members, change their role, reset their password, suspend them');
  const userArg = (): Argument => new Argument('<user>', 'username or email address');

  user
    .command('add')
    .description('create a member account (asks for the password in a terminal)')
    .requiredOption('--email <email>', 'email address')
    .option('--username <username>', 'username (default: from the email)')
    .option('--name <name>', 'full name (default: the username)')
    .option('--password <password>', 'password, 10+ characters (default: asked for in a terminal)')
    .addOption(new Option('--role <role>', 'role in the network (default: member, admin with --root-admin)').choices(ROLES))
    .option('--network <slug>', 'give the role in a sub-network (the member joins the root network as member)')
    .option('--root-admin', 'make the member an administrator of the whole installation')
    .action(async (flags: AddFlags, cmd: Command) => {
      if (flags.password === undefined && !interactive()) throw new CliError(NO_TERMINAL_PASSWORD);
      await withRuntime(cmd, (rt) => add(rt, flags));
    });

  user
    .command('list')
    .description('list member accounts with their status and role in the root network')
    .option('--json', 'print JSON instead of a table')
    .action(runtimeAction(cli, (rt, flags: { json?: boolean }) => list(rt, !!flags.json)));

  user
    .command('role')
    .description("change a member's role in a network (their sessions end: they sign in again)")
    .addArgument(userArg())
    .addArgument(new Argument('<role>', 'the new role').choices(ROLES))
    .option('--network <slug>', 'a sub-network instead of the root network')
    .action(
      runtimeAction(cli, async (rt, login: string, role: Role, flags: { network?: string }) => {
        const member = await findMember(rt, login);
        const network = resolveNetwork(rt, flags.network);
        const viewer = await rt.users.viewer(member.id);
        if (viewer?.roles[network.id] === role) {
          say(`${member.username} is already ${role} in ${networkLabel(rt, network)}.`);
          return;
        }
        await rt.users.setRole(member.id, network.id, role);
        await cliAudit(rt, {
          action: 'core.user.role',
          networkId: network.id,
          objectType: 'user',
          objectId: member.id,
          before: { role: viewer?.roles[network.id] ?? null },
          after: { role },
        });
        say(`${member.username} is now ${role} in ${networkLabel(rt, network)}; their sessions ended, so they sign in again.`);
      }),
    );

  user
    .command('reset-password')
    .description('set a new password (asked for in a terminal; without one, a random password is made and printed once)')
    .addArgument(userArg())
    .option('--password <password>', 'the new password, 10+ characters')
    .action(runtimeAction(cli, (rt, login: string, flags: { password?: string }) => resetPassword(rt, login, flags.password)));

  user
    .command('suspend')
    .description('suspend a member: they cannot sign in, and their sessions end at once')
    .addArgument(userArg())
    .option('--reason <text>', 'why (shown to administrators; up to 500 characters)', CLI_REASON)
    .option('--until <date>', 'the suspension ends at the start of this day, YYYY-MM-DD, UTC (default: until lifted)')
    .option('--undo', 'lift the suspension instead (same as `ruche user unsuspend`)')
    .action(runtimeAction(cli, (rt, login: string, flags: SuspendFlags) => (flags.undo ? unsuspend(rt, login) : suspend(rt, login, flags))));

  user
    .command('unsuspend')
    .description('lift a suspension: the member can sign in again')
    .addArgument(userArg())
    .action(runtimeAction(cli, (rt, login: string) => unsuspend(rt, login)));
}

async function add(rt: Runtime, flags: AddFlags): Promise<void> {
  const network = resolveNetwork(rt, flags.network);
  const atRoot = network.id === rt.networks.root().id;
  const role: Role = flags.role ?? (flags.rootAdmin ? 'admin' : 'member');
  const username = flags.username ?? usernameFromEmail(flags.email);
  if (username === undefined) throw new CliError(`--username: none can be made from "${flags.email}"; choose one with --username`);
  const input = { username, email: flags.email, displayName: flags.name, isRootAdmin: !!flags.rootAdmin, emailVerified: true };
  const personal = [username, flags.email.split('@')[0]];
  const madeUsername = flags.username === undefined ? username : undefined;

  let password = flags.password;
  if (password === undefined) {
    // Refuse a taken or malformed name before asking for a password that would be wasted.
    const { password: _strength, ...problems } = await rt.users.validate(input);
    refuseIfAny(rt, problems, madeUsername);
    password = await askNewPassword(`Password for ${username} (10+ characters)`, (v) => problemText(rt, passwordProblem(v, personal)));
  }
  const created = await rt.users.create({ ...input, password }, atRoot ? role : 'member');
  if ('errors' in created) return refuseIfAny(rt, created.errors, madeUsername);
  if (!atRoot) await rt.users.setRole(created.id, network.id, role);

  const email = (await rt.users.viewer(created.id))!.email;
  say(`Added ${username} (id ${created.id}, ${email}).`);
  say(`  role: ${role} in ${networkLabel(rt, network)}${atRoot ? '' : ', member in the root network'}`);
  if (flags.rootAdmin) say('  administrator of the whole installation');
}

/**
 * Throws one line naming each refused field by its flag, in the core's English words
 * (`madeUsername`: the username was made from the email rather than given, so it is named).
 */
function refuseIfAny(rt: Runtime, errors: FieldErrors, madeUsername?: string): void {
  const lines = Object.entries(errors).map(([field, e]) => {
    const text = rt.i18n.t('en', e.key, e.params ?? {});
    if (field === 'username' && madeUsername !== undefined)
      return `username "${madeUsername}" (made from the email): ${text} Choose one with --username.`;
    return `${FIELD_FLAGS[field] ?? field}: ${text}`;
  });
  if (lines.length) throw new CliError(lines.join(' '));
}

const problemText = (rt: Runtime, key: string | undefined): string | undefined => (key ? rt.i18n.t('en', key) : undefined);

/** The account named by username or email address; a clear refusal when there is none. */
async function findMember(rt: Runtime, login: string): Promise<UserRow & { id: number }> {
  const row = await rt.users.findByLogin(login);
  if (!row) throw new CliError(`there is no member with the ${login.includes('@') ? 'email address' : 'username'} "${login}"`);
  return { ...row, id: Number(row.id) };
}

interface ListedUser {
  id: number;
  username: string;
  email: string;
  status: string;
  rootAdmin: boolean;
  /** Role in the root network (null when not a member there). */
  role: Role | null;
}

async function list(rt: Runtime, json: boolean): Promise<void> {
  const rows: { id: number | string; username: string; email: string; status: string; is_root_admin: boolean | number; role: Role | null }[] =
    await rt
      .db('users as u')
      .leftJoin('memberships as m', (j) => j.on('m.user_id', '=', 'u.id').andOnVal('m.network_id', '=', rt.networks.root().id))
      .orderBy('u.id')
      .select('u.id', 'u.username', 'u.email', 'u.status', 'u.is_root_admin', 'm.role');
  const users: ListedUser[] = rows.map((r) => ({
    id: Number(r.id),
    username: r.username,
    email: r.email,
    status: r.status,
    rootAdmin: !!r.is_root_admin,
    role: r.role ?? null,
  }));
  printList(users, json, 'No members yet.', ['ID', 'USERNAME', 'EMAIL', 'STATUS', 'ROOT ADMIN', 'ROLE'], (u) => [
    String(u.id),
    u.username,
    u.email,
    u.status,
    u.rootAdmin ? 'yes' : 'no',
    u.role ?? '-',
  ]);
}

async function resetPassword(rt: Runtime, login: string, given: string | undefined): Promise<void> {
  const member = await findMember(rt, login);
  const personal = [member.username, member.email.split('@')[0]];
  let password = given;
  let generated = false;
  if (password === undefined && interactive()) {
    password = await askNewPassword(`New password for ${member.username} (10+ characters)`, (v) => problemText(rt, passwordProblem(v, personal)));
  } else if (password === undefined) {
    password = randomPassword(personal);
    generated = true;
  }
  const refused = await rt.users.setPassword(member.id, password);
  if (refused) throw new CliError(`--password: ${rt.i18n.t('en', refused)}`);
  say(`New password set for ${member.username}; their sessions ended and their API tokens were revoked.`);
  if (generated) {
    say(`  password: ${password}`);
    say('  (shown only this once: pass it on safely; they can change it from their account page)');
  }
}

/** 24 random characters (144 bits), never one the strength rules refuse. */
function randomPassword(personal: string[]): string {
  for (;;) {
    const candidate = crypto.randomBytes(18).toString('base64url');
    if (!passwordProblem(candidate, personal)) return candidate;
  }
}

interface SuspendFlags {
  reason: string;
  until?: string;
  undo?: boolean;
}

/** The reason given when `--reason` is not. */
const CLI_REASON = 'suspended from the command line';

/** `--until` as the instant its day starts in UTC; a clear refusal when it is not a date. */
function untilOf(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw.trim());
  const at = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || new Date(at).getUTCDate() !== Number(m[3])) throw new CliError(`--until: "${raw}" is not a date; give it as YYYY-MM-DD`);
  return at;
}

async function suspend(rt: Runtime, login: string, flags: SuspendFlags): Promise<void> {
  const member = await findMember(rt, login);
  const input = { reason: flags.reason, until: untilOf(flags.until) };
  const problems = rt.suspensions.check(input);
  if (problems.reason) throw new CliError(`--reason: ${rt.i18n.t('en', problems.reason.key, problems.reason.params ?? {})}`);
  if (problems.until) throw new CliError(`--until: ${rt.i18n.t('en', problems.until.key)}`);
  if (member.status === 'suspended') {
    say(`${member.username} is already suspended.`);
    return;
  }
  const sessions = await countSessions(rt, member.id);
  const done = await rt.suspensions.suspend(member.id, input);
  if ('refused' in done) {
    throw new CliError(
      `${member.username} is the only active administrator of the whole installation; make another one first (ruche user add --root-admin)`,
    );
  }
  await cliAudit(rt, {
    action: 'core.user.suspend',
    networkId: null,
    objectType: 'user',
    objectId: member.id,
    before: { status: member.status },
    after: { status: 'suspended', reason: input.reason, until: input.until },
  });
  const until = input.until === null ? '' : ` until ${new Date(input.until).toISOString().slice(0, 10)}`;
  say(`Suspended ${member.username}${until}: they cannot sign in, and their ${sessions} open session${sessions === 1 ? '' : 's'} ended.`);
}

async function unsuspend(rt: Runtime, login: string): Promise<void> {
  const member = await findMember(rt, login);
  if (member.status !== 'suspended') {
    say(`${member.username} is not suspended (status: ${member.status}).`);
    return;
  }
  await rt.suspensions.reactivate(member.id);
  await cliAudit(rt, {
    action: 'core.user.unsuspend',
    networkId: null,
    objectType: 'user',
    objectId: member.id,
    before: { status: 'suspended' },
    after: { status: 'active' },
  });
  say(`${member.username} is active again and can sign in.`);
}

/** Rows a query matches (PostgreSQL counts come back as strings). */
async function count(query: Knex.QueryBuilder): Promise<number> {
  const row = await query.count<{ n: number | string }[]>('id as n').first();
  return Number(row?.n ?? 0);
}

const countSessions = (rt: Runtime, userId: number): Promise<number> => count(rt.db('sessions').where({ user_id: userId }));
