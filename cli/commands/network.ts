/**
 * `ruche network create|list|config|add-member|archive`: sub-networks of the root network,
 * through the core's Networks service (rt.networks), so the same checks apply as on the
 * admin page of the subnetworks plugin. A sub-network is reached at `/n/<slug>/` or on its
 * own host name.
 */
import { Argument, Option, type Command } from 'commander';
import type { NetworkInfo, Role, Runtime } from '../../core';
import { JOIN_POLICIES } from '../../core';
import type { NetworkInput, NetworkProblem } from '../../core/networks';
import { ROLES } from '../../core/auth/viewer';
import { cliAudit, resolveNetwork, runtimeAction, type Cli } from '../context';
import { CliError, printList, say, table } from '../output';
import fs from 'node:fs/promises';
import { MAX_LOGO_BYTES, parseColour, storeLogo, type Branding } from '../../core/branding';

interface NetworkFlags {
  name?: string;
  host?: string;
  join?: string;
  domains?: string;
  theme?: string;
  /** `true` (create: the flag alone), or `true`/`false` (config). */
  isolated?: boolean | string;
  colorPrimary?: string;
  colorAccent?: string;
  logo?: string;
}

/** The flag each checked field comes from, and what each problem means, in English. */
const FLAGS: Record<string, string> = { slug: '<slug>', name: '--name', host: '--host', joinPolicy: '--join', joinDomains: '--domains' };
const PROBLEMS: Record<NetworkProblem, (field: string) => string> = {
  invalid: (f) =>
    f === 'slug'
      ? 'use 1 to 40 lowercase letters, digits and hyphens'
      : f === 'joinPolicy'
        ? `use one of: ${JOIN_POLICIES.join(', ')}`
        : 'not a valid host name',
  taken: (f) => (f === 'slug' ? 'another network already uses it' : 'another network already answers on this host'),
  reserved: () => 'this name is reserved',
  empty: () => 'give a name',
  long: () => 'at most 200 characters',
  missing: () => 'the domain policy needs at least one domain (--domains a.com,b.com)',
};

export function registerNetwork(program: Command, cli: Cli): void {
  const network = program.command('network').description('create, list, configure and archive sub-networks');
  const joinOption = (): Option => new Option('--join <policy>', 'who may join').choices(JOIN_POLICIES);

  network
    .command('create')
    .description('create a sub-network, reached at /n/<slug>/ or on its own host')
    .addArgument(new Argument('<slug>', 'short name used in URLs (lowercase letters, digits, hyphens)'))
    .requiredOption('--name <name>', 'display name')
    .option('--host <host>', 'its own host name (e.g. lyon.example.com)')
    .addOption(joinOption().default('open'))
    .option('--domains <list>', 'email domains that may join, comma-separated (with --join domain)')
    .option('--theme <name>', "theme (default: the root network's)")
    .option('--isolated', 'a partner company: members who register there join it only, not the root network')
    .action(
      runtimeAction(cli, async (rt, slug: string, flags: NetworkFlags) => {
        const input = toInput(rt, flags);
        await refuseIfAny(rt, { ...input, slug });
        const created = await rt.networks.create({ ...input, slug, name: flags.name! });
        say(`Created network "${created.slug}" (${created.name}), reached at ${where(rt, created)}.`);
        say(`  join: ${describeJoin(created)}${created.isolated ? ' (isolated: members who register there join it only)' : ''}`);
      }),
    );

  network
    .command('list')
    .description('list sub-networks with their host, join policy and member count')
    .option('--json', 'print JSON instead of a table')
    .action(
      runtimeAction(cli, async (rt, flags: { json?: boolean }) => {
        const counts = await memberCounts(rt);
        const rows = rt.networks.subNetworks().map((n) => ({
          slug: n.slug,
          name: n.name,
          host: n.host,
          join: n.joinPolicy,
          domains: n.joinDomains,
          theme: n.theme,
          isolated: n.isolated,
          members: counts.get(n.id) ?? 0,
        }));
        printList(
          rows,
          !!flags.json,
          'No sub-networks yet (ruche network create <slug> --name ...).',
          ['SLUG', 'NAME', 'HOST', 'JOIN', 'MEMBERS'],
          (r) => [r.slug, r.name, r.host ?? '-', r.join === 'domain' ? `domain (${r.domains.join(', ')})` : r.join, String(r.members)],
        );
      }),
    );

  network
    .command('config')
    .description("show a sub-network's settings, or change them with flags")
    .addArgument(new Argument('<slug>', 'the sub-network'))
    .option('--name <name>', 'display name')
    .option('--host <host>', 'its own host name ("" or "none" to remove it)')
    .addOption(joinOption())
    .option('--domains <list>', 'email domains that may join, comma-separated')
    .option('--theme <name>', 'theme')
    .addOption(new Option('--isolated <bool>', 'members who register there join it only, not the root network').choices(['true', 'false']))
    .option('--color-primary <#rrggbb>', 'branding: primary colour of buttons and links ("none" for the theme\'s)')
    .option('--color-accent <#rrggbb>', 'branding: accent colour ("none" for the theme\'s)')
    .option('--logo <file>', 'branding: a PNG, JPEG, GIF or WebP logo shown in the header ("none" to remove it)')
    .action(
      runtimeAction(cli, async (rt, slug: string, flags: NetworkFlags) => {
        const n = subNetwork(rt, slug);
        const input = toInput(rt, flags);
        if (Object.keys(input).length) await refuseIfAny(rt, input, n.id);
        const branding = await brandingInput(rt, n, flags);
        if (Object.keys(input).length || branding) {
          if (Object.keys(input).length) await rt.networks.update(n.id, input);
          if (branding) await rt.networks.setBranding(n.id, branding);
          say(`Saved network "${slug}":`);
        }
        show(rt, rt.networks.get(n.id)!);
      }),
    );

  network
    .command('add-member')
    .description('add a member to a sub-network, or change their role there')
    .addArgument(new Argument('<slug>', 'the sub-network'))
    .addArgument(new Argument('<user>', 'username or email address'))
    .addOption(
      new Option('--role <role>', 'role in the sub-network (default: member for a newcomer; an existing member keeps theirs)').choices(ROLES),
    )
    .action(
      runtimeAction(cli, async (rt, slug: string, login: string, flags: { role?: Role }) => {
        const n = subNetwork(rt, slug);
        const row = await rt.users.findByLogin(login);
        if (!row) throw new CliError(`there is no member with the ${login.includes('@') ? 'email address' : 'username'} "${login}"`);
        const viewer = await rt.users.viewer(Number(row.id));
        const current = viewer?.roles[n.id];
        // Without --role, an existing member keeps their role: never a silent demotion (and its ended sessions).
        const role = flags.role ?? current ?? 'member';
        if (current === role) {
          say(`${row.username} is already ${role} in network "${slug}"${flags.role ? '' : ' (--role changes it)'}.`);
          return;
        }
        await rt.users.setRole(Number(row.id), n.id, role);
        await cliAudit(rt, {
          action: 'core.user.role',
          networkId: n.id,
          objectType: 'user',
          objectId: Number(row.id),
          before: { role: current ?? null },
          after: { role },
        });
        say(`${row.username} is now ${role} in network "${slug}".`);
      }),
    );

  network
    .command('archive')
    .description('archive a sub-network: it is no longer reached; members and content are kept')
    .addArgument(new Argument('<slug>', 'the sub-network'))
    .action(
      runtimeAction(cli, async (rt, slug: string) => {
        const n = subNetwork(rt, slug);
        await rt.networks.archive(n.id);
        say(`Archived network "${slug}": ${where(rt, n)} no longer answers; its members and content are kept.`);
      }),
    );
}

/** A sub-network by slug; the root network is refused (it is configured with `ruche plugin`/`theme`). */
function subNetwork(rt: Runtime, slug: string): NetworkInfo {
  if (slug === 'root') throw new CliError('the root network is not a sub-network: configure it from the admin pages');
  return resolveNetwork(rt, slug);
}

function toInput(rt: Runtime, flags: NetworkFlags): NetworkInput {
  const input: NetworkInput = {};
  if (flags.name !== undefined) input.name = flags.name;
  if (flags.host !== undefined) input.host = flags.host === '' || flags.host === 'none' ? null : flags.host.trim().toLowerCase();
  if (flags.join !== undefined) input.joinPolicy = flags.join;
  if (flags.domains !== undefined)
    input.joinDomains = flags.domains
      .split(',')
      .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
      .filter(Boolean);
  if (flags.isolated !== undefined) input.isolated = flags.isolated === true || flags.isolated === 'true';
  if (flags.theme !== undefined) {
    if (!rt.views.themes.has(flags.theme))
      throw new CliError(`--theme: there is no theme "${flags.theme}" (available: ${[...rt.views.themes.keys()].sort().join(', ')})`);
    input.theme = flags.theme;
  }
  return input;
}

/** The branding flags, checked (colours as #rrggbb, the logo an image file, stored); undefined without any. */
async function brandingInput(rt: Runtime, n: NetworkInfo, flags: NetworkFlags): Promise<Partial<Branding> | undefined> {
  const out: Partial<Branding> = {};
  for (const [flag, key, raw] of [
    ['--color-primary', 'primary', flags.colorPrimary],
    ['--color-accent', 'accent', flags.colorAccent],
  ] as const) {
    if (raw === undefined) continue;
    const colour = raw === 'none' ? null : parseColour(raw);
    if (colour === undefined) throw new CliError(`${flag}: write the colour as # followed by six hexadecimal digits, e.g. #0b6e4f`);
    out[key] = colour;
  }
  if (flags.logo !== undefined) {
    if (flags.logo === 'none' || flags.logo === '') out.logo = null;
    else {
      let data: Buffer;
      try {
        data = await fs.readFile(flags.logo);
      } catch {
        throw new CliError(`--logo: cannot read the file ${flags.logo}`);
      }
      const stored = await storeLogo(rt.storage, n.id, data);
      if ('problem' in stored)
        throw new CliError(
          `--logo: ${stored.problem === 'type' ? 'not a PNG, JPEG, GIF or WebP image' : stored.problem === 'tooLarge' ? `larger than ${MAX_LOGO_BYTES / 1024 / 1024} MB` : 'the image could not be read'}`,
        );
      out.logo = stored.hash;
    }
  }
  return Object.keys(out).length ? out : undefined;
}

async function refuseIfAny(rt: Runtime, input: NetworkInput, id?: number): Promise<void> {
  const problems = await rt.networks.check(input, id);
  const lines = Object.entries(problems).map(([field, p]) => `${FLAGS[field] ?? field}: ${PROBLEMS[p](field)}.`);
  if (lines.length) throw new CliError(lines.join(' '));
}

async function memberCounts(rt: Runtime): Promise<Map<number, number>> {
  const rows: { network_id: number; n: number | string }[] = await rt
    .db('memberships as m')
    .join('users as u', 'u.id', 'm.user_id')
    .where('u.status', 'active')
    .groupBy('m.network_id')
    .select('m.network_id')
    .count('m.user_id as n');
  return new Map(rows.map((r) => [Number(r.network_id), Number(r.n)]));
}

const where = (rt: Runtime, n: NetworkInfo): string => `${rt.config.siteUrl}/n/${n.slug}/${n.host ? ` and http(s)://${n.host}/` : ''}`;
const describeJoin = (n: NetworkInfo): string =>
  n.joinPolicy === 'domain' ? `domain (${n.joinDomains.map((d) => `@${d}`).join(', ')})` : n.joinPolicy;

function show(rt: Runtime, n: NetworkInfo): void {
  say(
    table(
      ['KEY', 'VALUE'],
      [
        ['slug', n.slug],
        ['name', n.name],
        ['host', n.host ?? '-'],
        ['join', describeJoin(n)],
        [
          'colors',
          n.branding.primary || n.branding.accent ? `primary ${n.branding.primary ?? '-'}, accent ${n.branding.accent ?? '-'}` : "- (the theme's)",
        ],
        ['logo', n.branding.logo ? `set (${rt.config.siteUrl}/n/${n.slug}/branding/logo/${n.branding.logo}.png)` : '-'],
        ['isolated', n.isolated ? 'yes (members who register there join it only)' : 'no'],
        ['theme', n.theme],
        ['locale', n.locale],
        ['url', where(rt, n)],
      ],
    ),
  );
}
