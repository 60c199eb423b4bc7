/**
 * `ruche seed --bench [--members N] [--entities N] [--groups N] [--seed N] [--quiet]`: fills
 * an installed site with the deterministic bench network and writes
 * `<dataDir>/bench-targets.json` for the page benchmark.
 * `ruche seed --demo [--locale fr|en] [--password P]`: a small believable network to look
 * around in. Both come from the seeding kit (seeding/) and the plugins' seeders.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { boot, isInstalled, isLocale, LOCALES, type Runtime } from '../../core';
import { DEFAULTS, LIMITS, SeedRefused, seedBench, seedDemo, DEMO_PASSWORD, type SeedOptions } from '../../seeding';
import { withBase, type Cli } from '../context';
import { configOnFirstRun, installWithDefaults } from '../first-run';
import { CliError, rel, safeUrl, say } from '../output';

interface SeedFlags extends SeedOptions {
  bench?: boolean;
  demo?: boolean;
  locale?: string;
  password?: string;
  quiet?: boolean;
}

/** A whole number within the flag's limits, or commander's one-line refusal. */
const count =
  (name: keyof typeof LIMITS) =>
  (raw: string): number => {
    const [min, max] = LIMITS[name];
    if (!/^\s*\d+\s*$/.test(raw)) throw new InvalidArgumentError(`use a whole number from ${min} to ${max}.`);
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`use a whole number from ${min} to ${max}.`);
    return n;
  };

const locale = (raw: string): string => {
  if (!isLocale(raw)) throw new InvalidArgumentError(`use one of ${LOCALES.join(', ')}.`);
  return raw;
};

const password = (raw: string): string => {
  if (raw.length < 10) throw new InvalidArgumentError('use at least 10 characters.');
  return raw;
};

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function registerSeed(program: Command, cli: Cli): void {
  program
    .command('seed')
    .description('fill an installed site: --demo (a small company network to look around in) or --bench (the benchmark network)')
    .option('--bench', 'the deterministic bench network (members, groups, posts, discussions, comments, likes)')
    .option('--demo', 'a small believable network: a company of about 60 people in three countries and a partner')
    .addOption(new Option('--locale <locale>', 'demo: the language of the texts (default: the site’s)').argParser(locale))
    .addOption(new Option('--password <password>', `demo: the demo accounts' password (default "${DEMO_PASSWORD}")`).argParser(password))
    .addOption(new Option('--members <n>', 'bench: members').argParser(count('members')).default(DEFAULTS.members))
    .addOption(
      new Option('--entities <n>', 'bench: entities in all (members\' "joined" entries, connections, groups, posts, topics)')
        .argParser(count('entities'))
        .default(DEFAULTS.entities),
    )
    .addOption(new Option('--groups <n>', 'bench: groups').argParser(count('groups')).default(DEFAULTS.groups))
    .addOption(new Option('--seed <n>', 'bench: random seed: the same seed gives the same network').argParser(count('seed')).default(DEFAULTS.seed))
    .option('--quiet', 'no progress, only the result line')
    .action(async (flags: SeedFlags, cmd: Command) => {
      if (flags.bench && flags.demo) throw new CliError('choose one seed: --bench or --demo');
      if (!flags.bench && !flags.demo) throw new CliError('say which seed: --demo (a network to look around in) or --bench (the benchmark network)');
      if (flags.bench && (flags.locale || flags.password)) throw new CliError('--locale and --password are for --demo');
      // Before the first `npm start` too: the seed writes the config file and installs as that start would.
      const config = configOnFirstRun(cmd);
      if (!(await withBase(config, isInstalled))) await installWithDefaults(config);
      await withBase(config, async (base) => {
        const rt = await boot(base);
        try {
          if (flags.demo) await demo(rt, flags);
          else await bench(rt, flags, safeUrl(config.databaseUrl));
        } catch (e) {
          if (e instanceof SeedRefused) throw new CliError(e.message);
          throw e;
        }
      });
      cli.exitCode = 0;
    });
}

async function bench(rt: Runtime, flags: SeedFlags, where: string): Promise<void> {
  const result = await seedBench(
    rt,
    { members: flags.members, entities: flags.entities, groups: flags.groups, seed: flags.seed },
    { progress: flags.quiet ? null : process.stderr },
  );
  const { counts, plan } = result;
  if (!flags.quiet) {
    say(`Seeded the bench network (seed ${plan.seed}) into ${where}:`);
    say(
      `  ${Object.entries(counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    for (const p of result.phases) say(`  ${p.name.padEnd(14)} ${seconds(p.ms).padStart(8)}  ${p.rows} rows`);
    say(`Sign in as ${result.targets.login.username} with the password "${result.targets.password}".`);
  }
  say(`Seeded in ${seconds(result.totalMs)}; targets in ${rel(result.targetsFile)}.`);
}

async function demo(rt: Runtime, flags: SeedFlags): Promise<void> {
  const result = await seedDemo(rt, { locale: flags.locale as SeedFlags['locale'] & undefined, password: flags.password });
  say(
    `Seeded the demo network (${result.locale}): ${Object.entries(result.counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
  );
  say(`The partner company's network is at /n/${result.partnerSlug}.`);
  say(`Every demo account has the password "${result.password}". Sign in as ${result.login} (a member of the company), or as`);
  say(`${result.partnerLogin} (the partner company). \`ruche user\` sets another password.`);
  if (result.enabled.length)
    say(
      `Turned on for the demo network: ${result.enabled.join(', ')}. ${result.adminLogin}, its administrator, sees the members console and the dashboard.`,
    );
  if (await rt.setup.needsSetup())
    say('The site shows "Almost ready" to everyone until its administrator is created: open the setup link `npm start` prints first.');
}
