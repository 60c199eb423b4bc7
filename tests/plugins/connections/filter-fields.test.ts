// The directory's extra-field filters come from the profiles plugin's kept field definitions (a
// core cache, issue 18): a page reads no `profile_fields`, and a field created, changed or
// deleted by another process (a second app on the same database, as a second `ruche start`)
// shows on this process's next page once its caches' poll ran (every 500 ms when serving).
import { createApp } from '../../../core';
import { ProfilesService } from '../../../plugins/profiles/service';
import { statementsDuring } from '../../helpers/statements';
import { eachConnApp } from './support';

const FIELD = {
  key: 'camp',
  label_en: 'Camp site',
  label_fr: 'Campement',
  type: 'choice' as const,
  choices: ['North camp', 'South camp'],
  required: false,
  searchable: false,
  visibility: 'members' as const,
};

eachConnApp('a field changed by another process is offered as a filter after the poll; no page reads the fields', async (t, app) => {
  await app.member('olga', 'Olga Owner');
  const olga = await app.as('olga');
  const other = await createApp(app.config, { cwd: app.config.dataDir });
  try {
    const theirs = other.ruche.container.resolve(ProfilesService);
    const page = async (): Promise<string> => (await olga.agent.http.get('/people')).text;
    t.notRegex(await page(), /Camp site/);

    const id = await theirs.createField(FIELD);
    t.notRegex(await page(), /Camp site/, 'kept: not read again on each page');
    await app.rt.caches.poll();
    let html = await page();
    t.regex(html, /Camp site/, 'created by the other process');
    t.regex(html, /name="x_camp"/);
    t.regex(html, /South camp/);

    await theirs.updateField(id, { ...FIELD, label_en: 'Tent area', choices: ['North camp', 'West camp'] });
    await app.rt.caches.poll();
    html = await page();
    t.regex(html, /Tent area/, 'renamed');
    t.regex(html, /West camp/);
    t.notRegex(html, /South camp/);

    await theirs.updateField(id, { ...FIELD, visibility: 'private' });
    await app.rt.caches.poll();
    t.notRegex(await page(), /name="x_camp"/, 'a private field is not offered to a member');

    await theirs.deleteField(id);
    await app.rt.caches.poll();
    t.notRegex(await page(), /x_camp|Camp site/, 'deleted');

    const { sql } = await statementsDuring(app.rt, page);
    t.false(
      sql.some((s) => /profile_fields/.test(s)),
      'the directory reads no field definition',
    );
  } finally {
    await other.close();
  }
});
