/**
 * A plugin's seeder: what `ruche seed` writes for that plugin. A plugin declares it in its
 * manifest as a lazy import (`seed: () => import('./seed')`, the module exporting `seeder`),
 * so neither this kit nor the seeder is loaded by the app at run time. The seeders of the
 * plugins enabled in the root network run phase by phase, in `dependsOn` order; disabled or
 * absent plugins are skipped.
 */
import type { Runtime } from '../core';
import type { BenchHooks } from './bench/model';
import type { DemoHooks } from './demo/model';

/** A plugin's hook for one phase of a seed (the bench's, the demo's), given the seed under way. */
export type SeedPhase<Seed> = (seed: Seed) => void | Promise<void>;

export interface Seeder {
  /** A fresh set of hooks (holding their own state) for one bench seed. */
  bench?: () => BenchHooks;
  /** A fresh set of hooks for one demo seed. */
  demo?: () => DemoHooks;
  /**
   * The demo turns the plugin on in its network where it is off (a plugin off by default that
   * the demo shows, as analytics): `ruche seed --demo` only, never an install or the bench.
   */
  demoEnables?: boolean;
}

/** Types a plugin's seeder (returns its argument). */
export const defineSeeder = (seeder: Seeder): Seeder => seeder;

export interface LoadedSeeder<H> {
  pluginId: string;
  hooks: H;
}

/** The plugins enabled in the network, in dependsOn order. */
export function enabledPlugins(rt: Runtime, networkId: number): string[] {
  return rt.plugins
    .list()
    .map((p) => p.manifest.id)
    .filter((id) => rt.pluginState.isEnabled(id, networkId));
}

/** Loads the seeders of the plugins enabled in `networkId` that take part in `kind`, in dependsOn order. */
export async function loadSeeders<K extends 'bench' | 'demo'>(
  rt: Runtime,
  networkId: number,
  kind: K,
): Promise<LoadedSeeder<ReturnType<NonNullable<Seeder[K]>>>[]> {
  const out: LoadedSeeder<ReturnType<NonNullable<Seeder[K]>>>[] = [];
  for (const id of enabledPlugins(rt, networkId)) {
    const load = rt.plugins.get(id)?.manifest.seed;
    if (!load) continue;
    const { seeder } = (await load()) as { seeder?: Seeder };
    const make = seeder?.[kind];
    if (make) out.push({ pluginId: id, hooks: make() as ReturnType<NonNullable<Seeder[K]>> });
  }
  return out;
}

/** The plugins off in `networkId` whose seeder asks the demo to turn them on (`demoEnables`), their dependencies on. */
export async function demoEnabled(rt: Runtime, networkId: number): Promise<string[]> {
  const out: string[] = [];
  for (const p of rt.plugins.list()) {
    const id = p.manifest.id;
    if (rt.pluginState.isEnabled(id, networkId) || !p.manifest.seed) continue;
    if ((p.manifest.dependsOn ?? []).some((dep) => !rt.pluginState.isEnabled(dep, networkId))) continue;
    const { seeder } = (await p.manifest.seed()) as { seeder?: Seeder };
    if (seeder?.demoEnables) out.push(id);
  }
  return out;
}

/** Runs one phase: the hook of that name of every seeder, in order. */
export async function runPhase<H, C>(seeders: LoadedSeeder<H>[], phase: keyof H, context: C): Promise<void> {
  for (const s of seeders) {
    const hook = s.hooks[phase] as SeedPhase<C> | undefined;
    if (hook) await hook.call(s.hooks, context);
  }
}
