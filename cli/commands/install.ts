/**
 * `ruche install`: non-interactive with flags (or --yes, or without a terminal),
 * interactive prompts otherwise.
 */
import type { Command } from 'commander';
import { configPath, interactive, prompts, type Cli } from '../context';
import { askNewPassword, usernameFromEmail } from '../accounts';
import { check, runInstall, type InstallReport, type InstallRequest } from '../installer';
import { CliError, rel, safeUrl, say } from '../output';

interface InstallFlags {
  databaseUrl?: string;
  dataDir?: string;
  siteName?: string;
  locale?: string;
  adminEmail?: string;
  adminPassword?: string;
  adminUsername?: string;
  yes?: boolean;
  force?: boolean;
}

export function registerInstall(program: Command, cli: Cli): void {
  program
    .command('install')
    .description('install Ruche here: write the config file, create the database schema, enable the default plugins, create the administrator')
    .option('--database-url <url>', 'sqlite:<path> or postgres://user:pass@host:5432/db (default: SQLite in the data folder)')
    .option('--data-dir <dir>', 'folder for the SQLite file, uploads and mail (default: ./data)')
    .option('--site-name <name>', 'name of the network')
    .option('--locale <locale>', 'default language: en or fr')
    .option('--admin-email <email>', 'email of the first administrator')
    .option('--admin-password <password>', 'password of the first administrator (10+ characters)')
    .option('--admin-username <username>', 'username of the first administrator (default: from the email)')
    .option('-y, --yes', 'ask nothing, use defaults for what is not given')
    .option('--force', 'reinstall over an existing installation (an existing SQLite database is kept as <file>.bak-<timestamp>)')
    .addHelpText('after', '\nWithout administrator flags, `ruche start` prints a one-time setup link to create the first administrator.')
    .action(async (flags: InstallFlags, cmd: Command) => {
      const file = configPath(cmd);
      const given = Object.entries(flags).some(([k, v]) => k !== 'force' && v !== undefined);
      const request = !given && interactive() ? await ask(file, !!flags.force) : fromFlags(file, flags);
      printReport(await runInstall(request));
      cli.exitCode = 0;
    });
}

function fromFlags(file: string, f: InstallFlags): InstallRequest {
  if (f.adminEmail === undefined && (f.adminPassword !== undefined || f.adminUsername !== undefined)) {
    throw new CliError('--admin-password and --admin-username need --admin-email');
  }
  if (f.adminEmail !== undefined && f.adminPassword === undefined) throw new CliError('--admin-email needs --admin-password');
  return {
    file,
    databaseUrl: f.databaseUrl,
    dataDir: f.dataDir,
    siteName: f.siteName,
    locale: f.locale,
    admin: f.adminEmail !== undefined ? { email: f.adminEmail, password: f.adminPassword!, username: f.adminUsername } : undefined,
    force: f.force,
  };
}

async function ask(file: string, force: boolean): Promise<InstallRequest> {
  const { input, select } = await prompts();
  say(`Installing Ruche; the configuration will be written to ${rel(file)}.`);
  const databaseUrl = (
    await input({
      message: 'Database URL (empty: embedded SQLite in ./data)',
      validate: (v) => !v.trim() || /^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(v.trim()) || 'Use sqlite:<path> or postgres://user:pass@host:5432/db',
    })
  ).trim();
  const siteName = await input({ message: 'Network name', default: 'Ruche', validate: (v) => check.siteName(v) ?? true });
  const locale = await select({
    message: 'Default language',
    choices: [
      { name: 'English', value: 'en' },
      { name: 'Français', value: 'fr' },
    ],
  });
  const email = (
    await input({
      message: 'Administrator email (empty: create the administrator later from the setup link)',
      validate: (v) => !v.trim() || (check.email(v) ?? true),
    })
  ).trim();
  let admin: InstallRequest['admin'];
  if (email) {
    const username = (
      await input({ message: 'Administrator username', default: usernameFromEmail(email), validate: (v) => check.username(v) ?? true })
    ).trim();
    const pw = await askNewPassword('Administrator password (10+ characters)', (v) => check.password(v, [username, email.split('@')[0]]));
    admin = { email, password: pw, username };
  }
  return { file, databaseUrl: databaseUrl || undefined, siteName, locale, admin, force };
}

function printReport(r: InstallReport): void {
  say('Ruche is installed.');
  say(`  config file: ${rel(r.file)} (holds the secret: keep it private)`);
  say(`  database:    ${safeUrl(r.config.databaseUrl)}`);
  say(`  network:     ${r.siteName} (${r.locale})`);
  say(`  plugins:     ${r.plugins.length ? r.plugins.join(', ') : 'none enabled'}`);
  for (const b of r.backups) say(`  kept:        ${rel(b)}`);
  if (r.admin) say(`  admin:       ${r.admin}`);
  say('');
  say(`Next: run \`npm start\` (or \`ruche start\`) and open ${r.config.siteUrl}`);
  if (!r.admin) say('No administrator yet: the first start prints a one-time setup link to create one.');
}
