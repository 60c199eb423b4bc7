import test from 'ava';
import { databaseKinds } from '../helpers/databases';
import { assertOneLineError, pluginRows } from './helpers';
import { addParis, hasTable, installed, type Installed } from './setup';

async function enabled(i: Installed, id: string): Promise<boolean | undefined> {
  const r = await i.ruche('plugin', 'list', '--json');
  return pluginRows(r.stdout).find((p) => p.id === id)?.enabled;
}

for (const kind of databaseKinds()) {
  test(`plugin list, enable, disable [${kind}]`, async (t) => {
    const i = await installed(t, kind);
    const list = await i.ruche('plugin', 'list');
    t.is(list.code, 0, list.stderr);
    t.regex(list.stdout, /^ID +VERSION +ENABLED +SOURCE +DESCRIPTION$/m);
    t.regex(list.stdout, /^demo +1\.2\.3 +no +local +A demo plugin for CLI tests$/m);

    const json = pluginRows((await i.ruche('plugin', 'list', '--json')).stdout);
    t.like(
      json.find((p) => p.id === 'demo'),
      { id: 'demo', version: '1.2.3', enabled: false, source: 'local' },
    );

    const on = await i.ruche('plugin', 'enable', 'demo');
    t.is(on.code, 0, on.stderr);
    t.regex(on.stdout, /^Enabled "demo" in the root network\.\n {2}applied migrations: 001_demo_items$/m);
    t.true(await hasTable(i, 'demo_items'));
    t.true(await enabled(i, 'demo'));
    t.regex((await i.ruche('plugin', 'enable', 'demo')).stdout, /already enabled/);

    const off = await i.ruche('plugin', 'disable', 'demo');
    t.is(off.code, 0, off.stderr);
    t.regex(off.stdout, /Disabled "demo" in the root network; its data is kept/);
    t.false(await enabled(i, 'demo'));
    t.true(await hasTable(i, 'demo_items'), 'disabling keeps the data');
  });

  test(`plugin dependencies and unknown ids are refused with one line [${kind}]`, async (t) => {
    const i = await installed(t, kind);
    assertOneLineError(t, await i.ruche('plugin', 'enable', 'nope'), /^ruche: There is no plugin called "nope"\.$/);
    assertOneLineError(t, await i.ruche('plugin', 'disable', 'nope'), /There is no plugin called "nope"/);
    assertOneLineError(t, await i.ruche('plugin', 'config', 'nope'), /There is no plugin called "nope"/);
    assertOneLineError(t, await i.ruche('plugin', 'uninstall', 'nope', '--yes'), /There is no plugin called "nope"/);
    assertOneLineError(t, await i.ruche('plugin', 'enable', 'demo-extra'), /"demo-extra" needs "demo": enable "demo" first/);
    t.is((await i.ruche('plugin', 'enable', 'demo')).code, 0);
    t.is((await i.ruche('plugin', 'enable', 'demo-extra')).code, 0);
    assertOneLineError(t, await i.ruche('plugin', 'disable', 'demo'), /"demo" is needed by demo-extra: disable those first/);
    assertOneLineError(t, await i.ruche('plugin', 'enable', 'demo', '--network', 'nowhere'), /there is no network "nowhere" \(known: root\)/);
  });

  test(`plugin config shows, validates and saves settings [${kind}]`, async (t) => {
    const i = await installed(t, kind);
    const show = await i.ruche('plugin', 'config', 'demo');
    t.is(show.code, 0, show.stderr);
    t.regex(show.stdout, /^KEY +VALUE +DEFAULT +TYPE +LABEL$/m);
    t.regex(show.stdout, /^limit +5 +5 +number, whole, min 1, max 10 +Limit$/m);
    t.regex(show.stdout, /^mode +"calm" +"calm" +one of: calm, busy +Mode$/m);

    const bad = await i.ruche('plugin', 'config', 'demo', 'limit=99', 'mode=wild', 'colour=red');
    assertOneLineError(
      t,
      bad,
      /Some settings of "demo" are not valid\. limit: Enter 10 or less\. mode: Choose one of: calm, busy\. colour: There is no setting called colour\./,
    );
    assertOneLineError(t, await i.ruche('plugin', 'config', 'demo', 'limit'), /malformed setting "limit": use key=value/);
    assertOneLineError(t, await i.ruche('plugin', 'config', 'demo', '=3'), /malformed setting "=3"/);
    t.regex((await i.ruche('plugin', 'config', 'demo')).stdout, /^limit +5 /m, 'nothing saved after a refusal');

    const ok = await i.ruche('plugin', 'config', 'demo', 'limit=7', 'greeting=bonjour = salut');
    t.is(ok.code, 0, ok.stderr);
    t.regex(ok.stdout, /^Saved the settings of "demo" in the root network:$/m);
    t.regex(ok.stdout, /^limit +7 +5 /m);
    t.regex(ok.stdout, /^greeting +"bonjour = salut" /m);
    t.regex((await i.ruche('plugin', 'config', 'demo')).stdout, /^limit +7 /m);
    t.regex((await i.ruche('plugin', 'config', 'demo-extra')).stdout, /"demo-extra" has no settings/);
  });

  test(`plugin uninstall needs --yes without a terminal, then reverts the migrations [${kind}]`, async (t) => {
    const i = await installed(t, kind);
    t.is((await i.ruche('plugin', 'enable', 'demo')).code, 0);
    const refused = await i.ruche('plugin', 'uninstall', 'demo');
    assertOneLineError(t, refused, /uninstalling "demo" deletes its data in every network; run again with --yes/);
    t.true(await hasTable(i, 'demo_items'));

    const r = await i.ruche('plugin', 'uninstall', 'demo', '--yes');
    t.is(r.code, 0, r.stderr);
    t.regex(r.stdout, /Uninstalled "demo": its data is deleted \(reverted 001_demo_items\)/);
    t.false(await hasTable(i, 'demo_items'));
    t.false(await enabled(i, 'demo'));
    t.is((await i.db()('plugin_state').where({ plugin_id: 'demo' })).length, 0);
  });
}

test('plugin enable and disable in a sub-network', async (t) => {
  const i = await installed(t, 'sqlite');
  await addParis(i);
  assertOneLineError(
    t,
    await i.ruche('plugin', 'enable', 'demo', '--network', 'paris'),
    /"demo" is disabled for the whole installation: enable it there first/,
  );
  t.is((await i.ruche('plugin', 'enable', 'demo')).code, 0);
  t.regex((await i.ruche('plugin', 'enable', 'demo', '--network', 'paris')).stdout, /already enabled in network "paris"/);
  const off = await i.ruche('plugin', 'disable', 'demo', '--network', 'paris');
  t.regex(off.stdout, /Disabled "demo" in network "paris"/);
  t.true(await enabled(i, 'demo'), 'still enabled at the root');
  const cfg = await i.ruche('plugin', 'config', 'demo', 'limit=2', '--network', 'paris');
  t.regex(cfg.stdout, /in network "paris"/);
  t.regex((await i.ruche('plugin', 'config', 'demo')).stdout, /^limit +5 /m, 'root settings unchanged');
  t.regex((await i.ruche('plugin', 'config', 'demo', '--network', 'paris')).stdout, /^limit +2 /m);
});
