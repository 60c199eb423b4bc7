/** The hook bus: ordering, isolation of events, piping and failure of filters, network scoping. */
import test from 'ava';
import { HookBus } from '../../core';
import { HookFilterError } from '../../core/hooks/bus';
import type { HomeSection } from '../../core';
import type { ViewContext } from '../../core';
import { eachApp } from '../helpers/each-app';
import { makeApp } from '../helpers/app';
import { addSubNetwork, captureLogger } from '../fixtures/support';

const silent = () => captureLogger('silent').logger;
const viewContext = (networkId?: number) => ({ networkId }) as unknown as ViewContext;
const section = (id: string): HomeSection => ({ id, template: `${id}/x` });

test('event handlers run by priority, lower first (default 10)', async (t) => {
  const bus = new HookBus(silent());
  const calls: string[] = [];
  bus.on('app:ready', () => void calls.push('p20'), { priority: 20 });
  bus.on('app:ready', () => void calls.push('default'));
  bus.on('app:ready', () => void calls.push('p1'), { priority: 1 });
  bus.on('app:ready', () => void calls.push('p-5'), { priority: -5 });
  await bus.emit('app:ready', {});
  t.deepEqual(calls, ['p-5', 'p1', 'default', 'p20']);
});

test('equal priorities run in registration order, for events and filters', async (t) => {
  const bus = new HookBus(silent());
  const calls: string[] = [];
  for (const name of ['a', 'b', 'c', 'd']) bus.on('app:ready', () => void calls.push(name), { priority: 5, pluginId: name });
  await bus.emit('app:ready', {});
  t.deepEqual(calls, ['a', 'b', 'c', 'd']);
  for (const name of ['x', 'y', 'z']) bus.addFilter('home:sections', (v) => [...v, section(name)], { priority: 5 });
  bus.addFilter('home:sections', (v) => [section('first'), ...v], { priority: 4 });
  const out = await bus.filter('home:sections', [], viewContext());
  t.deepEqual(
    out.map((s) => s.id),
    ['first', 'x', 'y', 'z'],
  );
});

test('async event handlers are awaited one after another', async (t) => {
  const bus = new HookBus(silent());
  const calls: string[] = [];
  bus.on('app:ready', async () => {
    await new Promise((r) => setTimeout(r, 30));
    calls.push('slow');
  });
  bus.on('app:ready', () => void calls.push('fast'));
  await bus.emit('app:ready', {});
  t.deepEqual(calls, ['slow', 'fast']);
});

test('a throwing event handler is logged with its plugin id and later handlers still run', async (t) => {
  const log = captureLogger();
  const bus = new HookBus(log.logger);
  const calls: string[] = [];
  bus.on('user:created', () => void calls.push('before'), { pluginId: 'alpha' });
  bus.on(
    'user:created',
    () => {
      throw new Error('boom in beta');
    },
    { pluginId: 'beta' },
  );
  bus.on(
    'user:created',
    async () => {
      throw new Error('async boom in gamma');
    },
    { pluginId: 'gamma' },
  );
  bus.on('user:created', () => void calls.push('after'), { pluginId: 'delta' });
  await t.notThrowsAsync(bus.emit('user:created', { userId: 1, networkId: 1 }));
  t.deepEqual(calls, ['before', 'after']);
  const errors = log.lines().filter((l) => l.level === 50);
  t.deepEqual(
    errors.map((l) => l.plugin),
    ['beta', 'gamma'],
  );
  t.is(errors[0].hook, 'user:created');
  t.regex(String(errors[0].msg), /beta/);
  t.is((errors[0].err as { message: string }).message, 'boom in beta');
  t.is((errors[1].err as { message: string }).message, 'async boom in gamma');
});

test('filters pipe the value through every handler, each seeing the previous result', async (t) => {
  const bus = new HookBus(silent());
  const seen: string[][] = [];
  bus.addFilter('home:sections', (v) => {
    seen.push(v.map((s) => s.id));
    return [...v, section('one')];
  });
  bus.addFilter('home:sections', async (v) => {
    seen.push(v.map((s) => s.id));
    return [...v, section('two')];
  });
  bus.addFilter('home:sections', (v) => {
    seen.push(v.map((s) => s.id));
    return v.filter((s) => s.id !== 'start');
  });
  const out = await bus.filter('home:sections', [section('start')], viewContext());
  t.deepEqual(seen, [['start'], ['start', 'one'], ['start', 'one', 'two']]);
  t.deepEqual(
    out.map((s) => s.id),
    ['one', 'two'],
  );
  t.deepEqual(await new HookBus(silent()).filter('home:sections', [section('alone')], viewContext()), [section('alone')]);
});

test('a throwing filter fails with HookFilterError naming the hook and plugin; later filters do not run', async (t) => {
  const bus = new HookBus(silent());
  let laterRan = false;
  const cause = new Error('filter exploded');
  bus.addFilter(
    'menu:main',
    () => {
      throw cause;
    },
    { pluginId: 'broken' },
  );
  bus.addFilter(
    'menu:main',
    (v) => {
      laterRan = true;
      return v;
    },
    { pluginId: 'fine', priority: 20 },
  );
  const err = await t.throwsAsync(bus.filter('menu:main', [], viewContext()), { instanceOf: HookFilterError });
  t.is(err?.hook, 'menu:main');
  t.is(err?.pluginId, 'broken');
  t.is(err?.cause, cause);
  t.regex(err?.message ?? '', /menu:main.*broken/);
  t.false(laterRan);
});

test('handlers of a plugin inactive in a network do not run for that network', async (t) => {
  const bus = new HookBus(silent(), (pluginId, networkId) => !(pluginId === 'off-in-2' && networkId === 2));
  const calls: string[] = [];
  bus.on('user:created', (p) => void calls.push(`on:${p.networkId}`), { pluginId: 'on' });
  bus.on('user:created', (p) => void calls.push(`off:${p.networkId}`), { pluginId: 'off-in-2' });
  bus.addFilter('home:sections', (v) => [...v, section('off-in-2')], { pluginId: 'off-in-2' });
  await bus.emit('user:created', { userId: 1, networkId: 2 });
  await bus.emit('user:created', { userId: 1, networkId: 1 });
  t.deepEqual(calls, ['on:2', 'on:1', 'off:1']);
  t.deepEqual(await bus.filter('home:sections', [], viewContext(2)), []);
  t.deepEqual(
    (await bus.filter('home:sections', [], viewContext(1))).map((s) => s.id),
    ['off-in-2'],
  );
  // What a text kept built from a filter's answer is keyed by: the plugins answering there.
  t.deepEqual(bus.filtering('home:sections', viewContext(2)), []);
  t.deepEqual(bus.filtering('home:sections', viewContext(1)), ['off-in-2']);
});

eachApp(
  "an app runs a plugin's handlers only in networks where it is enabled, with the app as context",
  (db) => makeApp(db, { withFixtures: true }),
  async (t, { app }) => {
    const rt = app.ruche;
    const root = rt.networks.root().id;
    const sub = await addSubNetwork(rt, 'quiet');
    const notes = () => rt.db('fixture_notes').where({ kind: 'ping' }).orderBy('id').select('network_id', 'user_id');
    await rt.pluginState.enable('fixture');
    await rt.pluginState.disable('fixture', sub);
    await rt.hooks.emit('fixture:pinged', { networkId: sub, by: 7 });
    t.deepEqual(await notes(), [], 'the fixture is disabled in the sub-network');
    await rt.hooks.emit('fixture:pinged', { networkId: root, by: 7 });
    t.deepEqual(
      (await notes()).map((n) => [Number(n.network_id), Number(n.user_id)]),
      [[root, 7]],
    );
    await rt.pluginState.enable('fixture', sub);
    await rt.hooks.emit('fixture:pinged', { networkId: sub, by: 8 });
    t.is((await notes()).length, 2);
    await rt.pluginState.disable('fixture');
    await rt.hooks.emit('fixture:pinged', { networkId: sub, by: 9 });
    t.is((await notes()).length, 2, 'disabled at the root means disabled everywhere');
  },
);
