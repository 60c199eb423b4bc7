/**
 * `ruche seed --bench [--members N] [--entities N] [--groups N] [--seed N] [--quiet]`: fills
 * an installed site with the deterministic bench network (core/bench-seed) and writes
 * `<dataDir>/bench-targets.json` for the page benchmark.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { boot, isInstalled } from '../../core';
import { DEFAULTS, LIMITS, SeedRefused, seedBench, type SeedOptions } from '../../core/bench-seed';
import { readConfig, withBase, type Cli } from '../context';
import { CliError, rel, safeUrl, say } from '../output';

interface SeedFlags extends SeedOptions {
  bench?: boolean;
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

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function registerSeed(program: Command, cli: Cli): void {
  program
    .command('seed')
    .description('fill an installed site with a deterministic bench network (members, groups, posts, discussions, comments, likes)')
    .option('--bench', 'the bench network (the only kind of seed)')
    .addOption(new Option('--members <n>', 'members').argParser(count('members')).default(DEFAULTS.members))
    .addOption(
      new Option('--entities <n>', 'entities in all (members\' "joined" entries, connections, groups, posts, topics)')
        .argParser(count('entities'))
        .default(DEFAULTS.entities),
    )
    .addOption(new Option('--groups <n>', 'groups').argParser(count('groups')).default(DEFAULTS.groups))
    .addOption(new Option('--seed <n>', 'random seed: the same seed gives the same network').argParser(count('seed')).default(DEFAULTS.seed))
    .option('--quiet', 'no progress, only the result line')
    .action(async (flags: SeedFlags, cmd: Command) => {
      if (!flags.bench) throw new CliError('say which seed: --bench (the only one so far)');
      const config = readConfig(cmd);
      await withBase(config, async (base) => {
        if (!(await isInstalled(base)))
          throw new CliError(`this site is not installed (database ${safeUrl(config.databaseUrl)}): run \`ruche install\` first`);
        const rt = await boot(base);
        let result;
        try {
          result = await seedBench(
            rt,
            { members: flags.members, entities: flags.entities, groups: flags.groups, seed: flags.seed },
            { progress: flags.quiet ? null : process.stderr },
          );
        } catch (e) {
          if (e instanceof SeedRefused) throw new CliError(e.message);
          throw e;
        }
        const { counts, plan } = result;
        if (!flags.quiet) {
          say(`Seeded the bench network (seed ${plan.seed}) into ${safeUrl(config.databaseUrl)}:`);
          say(
            `  ${Object.entries(counts)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}`,
          );
          for (const p of result.phases) say(`  ${p.name.padEnd(14)} ${seconds(p.ms).padStart(8)}  ${p.rows} rows`);
          say(`Sign in as ${result.targets.login.username} with the password "${result.targets.password}".`);
        }
        say(`Seeded in ${seconds(result.totalMs)}; targets in ${rel(result.targetsFile)}.`);
      });
      cli.exitCode = 0;
    });
}
