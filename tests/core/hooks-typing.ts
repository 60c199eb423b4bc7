/**
 * Compile-time checks of the typed hook map (never run: `tsc -b` is the test). Each
 * `@ts-expect-error` line must be an error, or the build fails; the other lines must compile.
 *
 * Custom hooks are added by declaration merging. The fixture plugin augments the module
 * that declares the map (`core/hooks/map`); augmenting the public entry (`core`, i.e. the
 * package an npm plugin imports) works too, because it re-exports the same interface.
 */
import { HookBus, onEvent, onFilter, type HookEvents, type MenuItem, type ViewContext } from '../../core';
import type fixture from '../fixtures/plugins/fixture/plugin';

declare module '../../core' {
  interface HookEvents {
    'typing:viaPublicEntry': { networkId: number; note: string };
  }
}

export type FixtureManifest = typeof fixture;

export async function correctCalls(bus: HookBus, context: ViewContext): Promise<void> {
  await bus.emit('app:ready', {});
  await bus.emit('user:created', { userId: 1, networkId: 1 });
  await bus.emit('fixture:pinged', { networkId: 1, by: 2 });
  await bus.emit('typing:viaPublicEntry', { networkId: 1, note: 'merged through core/index' });
  bus.on('fixture:pinged', (p, rt) => void rt.db('fixture_notes').insert({ by: p.by + 1, network: p.networkId }));
  const menu: MenuItem[] = await bus.filter('menu:main', [], context);
  void menu;
  bus.addFilter('home:sections', (sections) => [...sections, { id: 'x', template: 'fixture/section' }]);
  onEvent('fixture:pinged', (p) => void p.by.toFixed());
  onFilter('menu:user', (items, ctx) => items.filter(() => ctx.locale === 'en'));
  const payload: HookEvents['fixture:pinged'] = { networkId: 1, by: 3 };
  void payload;
}

export async function wrongCalls(bus: HookBus, context: ViewContext): Promise<void> {
  // @ts-expect-error unknown event name
  await bus.emit('fixture:pong', { networkId: 1, by: 2 });
  // @ts-expect-error wrong payload: `by` must be a number
  await bus.emit('fixture:pinged', { networkId: 1, by: 'me' });
  // @ts-expect-error wrong payload: `by` is missing
  await bus.emit('fixture:pinged', { networkId: 1 });
  // @ts-expect-error wrong payload for a core event
  await bus.emit('user:created', { userId: '1', networkId: 1 });
  // @ts-expect-error wrong payload for a hook merged through the public entry
  await bus.emit('typing:viaPublicEntry', { networkId: 1 });
  // @ts-expect-error an event name is not a filter name
  await bus.filter('user:created', [], context);
  // @ts-expect-error a filter must return the value's type
  bus.addFilter('menu:main', () => 42);
  // @ts-expect-error handler payload is typed: `by` is a number
  onEvent('fixture:pinged', (p) => p.by.toUpperCase());
  // @ts-expect-error unknown filter name
  onFilter('menu:sidebar', (v: unknown) => v);
}
