/** The `profiles:sections` filter: another plugin adds blocks to the profile page, in order. */
import fs from 'node:fs';
import path from 'node:path';
import { eachDatabase } from '../../helpers/databases';
import { makeApp } from '../../helpers/app';
import { addUser, signIn } from './support';

const PLUGIN = `const { onFilter } = require('ruche');
exports.default = {
  id: 'sectioner', version: '1.0.0', name: 'Sectioner', description: 'Adds profile sections.', core: '^1.0.0', dependsOn: ['profiles'],
  templates: ['box'],
  hooks: [
    onFilter('profiles:sections', (sections, c) => [...sections,
      { id: 'second', template: 'sectioner/box', data: { text: 'SECOND for ' + c.profileUserId + ' seen by ' + (c.viewer ? c.viewer.username : 'guest') }, order: 20 },
      { id: 'first', template: 'sectioner/box', data: { text: 'FIRST <b>' }, order: 5 },
    ]),
  ],
};
`;

eachDatabase('profile sections: added by another plugin through the filter, ordered, escaped', async (t, db) => {
  const dir = path.join(db.dataDir, 'fixtures', 'plugins', 'sectioner');
  fs.mkdirSync(path.join(dir, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'plugin.js'), PLUGIN);
  fs.writeFileSync(path.join(dir, 'templates', 'box.hbs'), '<p class="sectioner">{{text}}</p>\n');
  const app = await makeApp(db, { config: { plugins: { dirs: [path.join(db.dataDir, 'fixtures', 'plugins')] } } });
  try {
    await app.app.ruche.pluginState.enable('sectioner');
    const alice = await addUser(app, 'alice');
    await addUser(app, 'bob');
    const bob = await signIn(app, 'bob');
    const res = await bob.http.get('/people/alice');
    t.is(res.status, 200);
    const first = res.text.indexOf('FIRST &lt;b&gt;');
    const second = res.text.indexOf(`SECOND for ${alice} seen by bob`);
    t.true(first > 0, 'first section rendered, escaped');
    t.true(second > first, 'sections in order');
    t.true(res.text.includes('data-section="first"'));
  } finally {
    await app.close();
  }
});
