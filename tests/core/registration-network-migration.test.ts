// Migration 010_registration_network: accounts made before it get the network they applied
// to — the sub-network they belong to (the newest, when several), or the root network.
import { eachApp } from '../helpers/each-app';
import { subApp } from '../plugins/subnetworks/support';
import { registrationNetwork } from '../../core/db/migrations/010_registration_network';
import { runMigrationStep } from '../../core';

eachApp('migration 010 gives existing accounts their sub-network, else the root', subApp, async (t, app) => {
  const rt = app.rt;
  const root = rt.networks.root();
  const lyon = await app.network('lyon');
  const partner = await app.network('partner');
  const rootOnly = await app.member('rita');
  const inLyon = await app.member('leo');
  await app.join(inLyon, lyon.id);
  const partnerOnly = await app.member('pat');
  await app.join(partnerOnly, partner.id);
  await app.onlyIn(partnerOnly);
  const both = await app.member('bob');
  await app.join(both, lyon.id);
  await app.join(both, partner.id);

  // 010's down drops a column of `users`, which SQLite does by rebuilding the table while the
  // counters' row triggers name `users`: each step runs as the migrator runs it.
  await runMigrationStep(rt.db, () => registrationNetwork.down(rt.db));
  await runMigrationStep(rt.db, () => registrationNetwork.up(rt.db));
  const applied = async (id: number) => Number((await rt.db('users').where({ id }).first('applied_network_id')).applied_network_id);
  t.is(await applied(rootOnly), root.id);
  t.is(await applied(inLyon), lyon.id);
  t.is(await applied(partnerOnly), partner.id);
  t.is(await applied(both), Math.max(lyon.id, partner.id), 'the newest sub-network');
});
