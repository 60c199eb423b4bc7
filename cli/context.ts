/**
 * What every command needs: the configuration (global `--config`, else RUCHE_CONFIG, else
 * `config/local.json` in the working directory), a quiet logger, and the runtime opened
 * and closed around the command's work.
 */
import pino, { type Logger } from 'pino';
import type { Command } from 'commander';
import {
  boot,
  configFilePath,
  loadConfig,
  openBase,
  PluginActionError,
  type BaseRuntime,
  type ConfigInput,
  type RucheConfig,
  type Runtime,
} from '../core';
import type { AuditEntry, NetworkInfo } from '../core';
import { CliError } from './output';

/** Exit code holder shared by the actions of one `main()` call. */
export interface Cli {
  exitCode: number;
}

export interface GlobalOptions {
  config?: string;
}

export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

/** The config file this command works with (it may not exist yet). */
export function configPath(cmd: Command, cwd = process.cwd()): string {
  const { config } = globalOptions(cmd);
  return config ? configFilePath(cwd, { RUCHE_CONFIG: config }) : configFilePath(cwd, process.env);
}

/** Whether the user named a config file (flag or RUCHE_CONFIG) rather than relying on the default. */
export function configNamed(cmd: Command): boolean {
  return !!(globalOptions(cmd).config || process.env.RUCHE_CONFIG);
}

export function readConfig(cmd: Command, overrides?: ConfigInput): RucheConfig {
  return loadConfig({ file: globalOptions(cmd).config, overrides });
}

/** Logs of one-shot commands go to stderr, warnings and worse (unless debug/trace is configured). */
export function quietLogger(config: RucheConfig): Logger {
  const verbose = config.log.level === 'debug' || config.log.level === 'trace' || config.log.level === 'silent';
  return pino({ level: verbose ? config.log.level : 'warn', base: undefined }, pino.destination({ fd: 2, sync: true }));
}

/** Opens the database and plugins (no schema needed), runs `fn`, always closes. */
export async function withBase<T>(config: RucheConfig, fn: (base: BaseRuntime) => Promise<T>): Promise<T> {
  const base = await openBase(config, { logger: quietLogger(config) });
  try {
    return await fn(base);
  } finally {
    await base.close();
  }
}

/** Boots a full runtime on an installed, migrated database; plugin refusals become one English line. */
export async function withRuntime<T>(cmd: Command, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  return withBase(readConfig(cmd), async (base) => {
    const rt = await boot(base);
    try {
      return await fn(rt);
    } catch (e) {
      if (e instanceof PluginActionError) throw pluginError(rt, e);
      throw e;
    }
  });
}

/**
 * A commander action that boots the runtime and runs `fn` with it and the command's
 * arguments and flags (everything commander passes but the Command itself).
 */
export function runtimeAction<A extends unknown[]>(
  cli: Cli,
  fn: (rt: Runtime, ...args: A) => Promise<void> | void,
): (...args: [...A, Command]) => Promise<void> {
  return async (...args) => {
    const cmd = args[args.length - 1] as Command;
    await withRuntime(cmd, async (rt) => fn(rt, ...(args.slice(0, -1) as A)));
    cli.exitCode = 0;
  };
}

/** Translates a plugin refusal, listing each bad setting with its own message. */
export function pluginError(rt: Runtime, e: PluginActionError): CliError {
  const head = rt.i18n.t('en', e.messageKey, e.params);
  const details = e.errors.map((s) => `${s.key}: ${rt.i18n.t('en', s.message, s.params ?? {})}`);
  return new CliError(details.length ? `${head} ${details.join(' ')}` : head);
}

/** The network named by `--network <slug>` (the root network when omitted or "root"). */
export function resolveNetwork(rt: Runtime, slug?: string): NetworkInfo {
  if (slug === undefined || slug === 'root') return rt.networks.root();
  const network = rt.networks.slug(slug);
  if (!network) {
    const known = rt.networks
      .all()
      .filter((n) => n.parentId !== null)
      .map((n) => n.slug);
    throw new CliError(`there is no network "${slug}" (known: root${known.length ? ', ' + known.join(', ') : ''})`);
  }
  return network;
}

export const networkLabel = (rt: Runtime, n: NetworkInfo): string => (n.id === rt.networks.root().id ? 'the root network' : `network "${n.slug}"`);

/** A label or description that may be an i18n key. */
export function text(rt: Runtime, value: string): string {
  return rt.i18n.has('en', value) ? rt.i18n.t('en', value) : value;
}

export const interactive = (): boolean => !!process.stdin.isTTY && !!process.stdout.isTTY;

/** The prompt library, loaded only when a prompt is needed. */
export const prompts = (): Promise<typeof import('@inquirer/prompts')> => import('@inquirer/prompts');

/** Writes a change made from the command line to the audit log (no actor: the page says "command line or system"). */
export async function cliAudit(rt: Runtime, entry: Omit<AuditEntry, 'actorId' | 'actorName' | 'ip'>): Promise<void> {
  await rt.audit.record({ ...entry, actorId: null, actorName: '' });
}
