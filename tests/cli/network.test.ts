import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import sharp from 'sharp';
import { databaseKinds } from '../helpers/databases';
import { assertOneLineError } from './helpers';
import { installed } from './setup';

for (const kind of databaseKinds()) {
  test(`network create, list, config, add-member, archive [${kind}]`, async (t) => {
    const i = await installed(t, kind);
    t.regex((await i.ruche('network', 'list')).stdout, /No sub-networks yet/);

    const made = await i.ruche(
      'network',
      'create',
      'lyon',
      '--name',
      'Usine Lyon',
      '--host',
      'Lyon.Example.test',
      '--join',
      'domain',
      '--domains',
      '@lyon.example.com, b.example.com',
    );
    t.is(made.code, 0, made.stderr);
    t.regex(made.stdout, /^Created network "lyon" \(Usine Lyon\), reached at .*\/n\/lyon\/ and http\(s\):\/\/lyon\.example\.test\/\.$/m);
    t.regex(made.stdout, /join: domain \(@lyon\.example\.com, @b\.example\.com\)/);
    const row = await i.db()('networks').where({ slug: 'lyon' }).first();
    t.like(row, { name: 'Usine Lyon', host: 'lyon.example.test', join_policy: 'domain', join_domains: 'lyon.example.com,b.example.com' });
    t.is(Number(row.parent_id), Number((await i.db()('networks').where({ slug: 'root' }).first('id')).id));
    t.is((await i.ruche('network', 'create', 'paris', '--name', 'Paris')).code, 0);
    const partner = await i.ruche('network', 'create', 'partner', '--name', 'Partner Co', '--isolated');
    t.is(partner.code, 0, partner.stderr);
    t.regex(partner.stdout, /join: open \(isolated: members who register there join it only\)/);
    t.truthy((await i.db()('networks').where({ slug: 'partner' }).first('isolated')).isolated);
    t.regex((await i.ruche('network', 'config', 'partner')).stdout, /^isolated +yes/m);
    t.regex((await i.ruche('network', 'config', 'partner', '--isolated', 'false')).stdout, /^isolated +no$/m);
    t.falsy((await i.db()('networks').where({ slug: 'partner' }).first('isolated')).isolated);
    t.is((await i.ruche('network', 'archive', 'partner')).code, 0);

    const list = await i.ruche('network', 'list');
    t.is(list.code, 0, list.stderr);
    t.regex(list.stdout, /^SLUG +NAME +HOST +JOIN +MEMBERS$/m);
    t.regex(list.stdout, /^paris +Paris +- +open +0$/m);
    t.regex(list.stdout, /^lyon +Usine Lyon +lyon\.example\.test +domain \(lyon\.example\.com, b\.example\.com\) +0$/m);
    const json = JSON.parse((await i.ruche('network', 'list', '--json')).stdout) as { slug: string; members: number }[];
    t.deepEqual(
      json.map((n) => n.slug),
      ['paris', 'lyon'],
      'sorted by name',
    );

    const user = await i.ruche('user', 'add', '--email', 'admin@example.com', '--username', 'admin', '--password', 'correct horse battery');
    t.is(user.code, 0, user.stderr);
    const added = await i.ruche('network', 'add-member', 'lyon', 'admin', '--role', 'moderator');
    t.is(added.code, 0, added.stderr);
    t.regex(added.stdout, /admin is now moderator in network "lyon"/);
    t.regex((await i.ruche('network', 'add-member', 'lyon', 'admin@example.com', '--role', 'moderator')).stdout, /already moderator/);
    t.regex((await i.ruche('network', 'list')).stdout, /^lyon .* 1$/m);
    // Without --role an existing member keeps their role: an admin is never silently demoted (issue 27).
    t.is((await i.ruche('network', 'add-member', 'lyon', 'admin', '--role', 'admin')).code, 0);
    const kept = await i.ruche('network', 'add-member', 'lyon', 'admin');
    t.is(kept.code, 0, kept.stderr);
    t.regex(kept.stdout, /admin is already admin in network "lyon" \(--role changes it\)/);
    const lyonId = (await i.db()('networks').where({ slug: 'lyon' }).first('id')).id;
    const adminId = (await i.db()('users').where({ username: 'admin' }).first('id')).id;
    t.is((await i.db()('memberships').where({ network_id: lyonId, user_id: adminId }).first('role')).role, 'admin');
    t.is((await i.ruche('user', 'add', '--email', 'new@example.com', '--username', 'newcomer', '--password', 'correct horse battery')).code, 0);
    t.regex((await i.ruche('network', 'add-member', 'lyon', 'newcomer')).stdout, /newcomer is now member in network "lyon"/);
    const roles = (await i
      .db()('audit_log')
      .where({ action: 'core.user.role', network_id: lyonId })
      .orderBy('id')
      .select('object_id', 'before', 'after')) as Record<string, unknown>[];
    t.deepEqual(
      roles.map((r) => [r.object_id, r.before, r.after]),
      [
        [String(adminId), '{"role":null}', '{"role":"moderator"}'],
        [String(adminId), '{"role":"moderator"}', '{"role":"admin"}'],
        [roles[2]?.object_id, '{"role":null}', '{"role":"member"}'],
      ],
      'each role given in the network is in the audit log; nothing when it did not change',
    );

    const shown = await i.ruche('network', 'config', 'lyon');
    t.regex(shown.stdout, /^host +lyon\.example\.test$/m);
    const changed = await i.ruche('network', 'config', 'lyon', '--name', 'Lyon plant', '--host', 'none', '--join', 'approval', '--theme', 'slate');
    t.is(changed.code, 0, changed.stderr);
    t.regex(changed.stdout, /^Saved network "lyon":$/m);
    t.regex(changed.stdout, /^name +Lyon plant$/m);
    t.regex(changed.stdout, /^host +-$/m);
    t.regex(changed.stdout, /^join +approval$/m);
    t.regex(changed.stdout, /^theme +slate$/m);
    // Branding: colours and a logo file.
    const logo = path.join(os.tmpdir(), `ruche-logo-${process.pid}-${kind}.png`);
    fs.writeFileSync(
      logo,
      await sharp({ create: { width: 300, height: 120, channels: 3, background: '#0b6e4f' } })
        .png()
        .toBuffer(),
    );
    const branded = await i.ruche('network', 'config', 'lyon', '--color-primary', '#0B6E4F', '--color-accent', 'ffcc00', '--logo', logo);
    t.is(branded.code, 0, branded.stderr);
    t.regex(branded.stdout, /^colors +primary #0b6e4f, accent #ffcc00$/m);
    t.regex(branded.stdout, /^logo +set \(.*\/n\/lyon\/branding\/logo\/[a-f0-9]{20}\.png\)$/m);
    t.like(await i.db()('networks').where({ slug: 'lyon' }).first('brand_primary', 'brand_accent'), {
      brand_primary: '#0b6e4f',
      brand_accent: '#ffcc00',
    });
    const unbranded = await i.ruche('network', 'config', 'lyon', '--color-accent', 'none', '--logo', 'none');
    t.regex(unbranded.stdout, /^colors +primary #0b6e4f, accent -$/m);
    t.regex(unbranded.stdout, /^logo +-$/m);
    fs.rmSync(logo, { force: true });

    const archived = await i.ruche('network', 'archive', 'paris');
    t.is(archived.code, 0, archived.stderr);
    t.regex(archived.stdout, /Archived network "paris"/);
    t.notRegex((await i.ruche('network', 'list')).stdout, /paris/);
    t.truthy((await i.db()('networks').where({ slug: 'paris' }).first('archived_at')).archived_at);
    // Sub-networks are usable by the other commands' --network flag.
    const enabled = await i.ruche('plugin', 'enable', 'demo');
    t.is(enabled.code, 0, enabled.stderr);
    t.regex((await i.ruche('plugin', 'disable', 'demo', '--network', 'lyon')).stdout, /Disabled "demo" in network "lyon"/);
  });

  test(`network commands refuse bad input with one line [${kind}]`, async (t) => {
    const i = await installed(t, kind);
    t.is((await i.ruche('network', 'create', 'lyon', '--name', 'Lyon', '--host', 'lyon.example.test')).code, 0);
    assertOneLineError(t, await i.ruche('network', 'create', 'lyon', '--name', 'Again'), /^ruche: <slug>: another network already uses it\.$/);
    assertOneLineError(
      t,
      await i.ruche('network', 'create', 'Bad Slug!', '--name', 'X'),
      /<slug>: use 1 to 40 lowercase letters, digits and hyphens/,
    );
    assertOneLineError(t, await i.ruche('network', 'create', 'root', '--name', 'X'), /<slug>: this name is reserved/);
    assertOneLineError(
      t,
      await i.ruche('network', 'create', 'other', '--name', 'X', '--host', 'LYON.example.test'),
      /--host: another network already answers on this host/,
    );
    assertOneLineError(t, await i.ruche('network', 'create', 'other', '--name', 'X', '--host', 'not a host'), /--host: not a valid host name/);
    assertOneLineError(t, await i.ruche('network', 'create', 'other', '--name', '  '), /--name: give a name/);
    assertOneLineError(
      t,
      await i.ruche('network', 'create', 'other', '--name', 'X', '--join', 'domain'),
      /--domains: the domain policy needs at least one domain/,
    );
    assertOneLineError(
      t,
      await i.ruche('network', 'create', 'other', '--name', 'X', '--join', 'everyone'),
      /option '--join <policy>' argument 'everyone' is invalid/,
    );
    assertOneLineError(t, await i.ruche('network', 'create', 'other'), /required option '--name <name>' not specified/);
    assertOneLineError(t, await i.ruche('network', 'create', 'other', '--name', 'X', '--theme', 'nope'), /--theme: there is no theme "nope"/);
    assertOneLineError(t, await i.ruche('network', 'config', 'nowhere'), /there is no network "nowhere" \(known: root, lyon\)/);
    assertOneLineError(t, await i.ruche('network', 'config', 'root', '--name', 'X'), /the root network is not a sub-network/);
    assertOneLineError(t, await i.ruche('network', 'config', 'lyon', '--join', 'domain'), /--domains: the domain policy needs at least one domain/);
    assertOneLineError(
      t,
      await i.ruche('network', 'config', 'lyon', '--color-primary', 'red'),
      /--color-primary: write the colour as # followed by six hexadecimal digits/,
    );
    const notImage = path.join(os.tmpdir(), `ruche-not-image-${process.pid}-${kind}.png`);
    fs.writeFileSync(notImage, '<html>not an image</html>');
    assertOneLineError(t, await i.ruche('network', 'config', 'lyon', '--logo', notImage), /--logo: not a PNG, JPEG, GIF or WebP image/);
    fs.rmSync(notImage, { force: true });
    assertOneLineError(t, await i.ruche('network', 'config', 'lyon', '--logo', '/nonexistent/logo.png'), /--logo: cannot read the file/);
    assertOneLineError(
      t,
      await i.ruche('network', 'config', 'lyon', '--isolated', 'maybe'),
      /option '--isolated <bool>' argument 'maybe' is invalid/,
    );
    assertOneLineError(t, await i.ruche('network', 'add-member', 'lyon', 'nobody'), /there is no member with the username "nobody"/);
    assertOneLineError(t, await i.ruche('network', 'add-member', 'lyon', 'admin', '--role', 'king'), /argument 'king' is invalid/);
    assertOneLineError(t, await i.ruche('network', 'archive', 'nowhere'), /there is no network "nowhere"/);
    t.is((await i.ruche('network', 'archive', 'lyon')).code, 0);
    assertOneLineError(t, await i.ruche('network', 'archive', 'lyon'), /there is no network "lyon" \(known: root\)/);
    t.is(
      (await i.db()('networks').whereNot({ slug: 'root' }).count<{ n: number | string }[]>('id as n'))[0].n.toString(),
      '1',
      'nothing made by the refusals',
    );
  });
}
