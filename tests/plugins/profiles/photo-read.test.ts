// The profile page and the edit page read the member's photo with what they read anyway (the
// profile's account row, the viewer's session): no statement of its own (issue 18).
import { setPhotoKey } from '../../../core';
import { eachApp } from '../../helpers/each-app';
import { makeApp } from '../../helpers/app';
import { addUser, signIn } from './support';

eachApp('the photo comes with the account row and the session, not from a statement of its own', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const alice = await addUser(app, 'alice');
  await addUser(app, 'bob');
  await setPhotoKey(rt.db, alice, '0123456789abcdef0123');
  const bob = await signIn(app, 'bob');
  const aliceAgent = await signIn(app, 'alice');
  const sql: string[] = [];
  const listen = (q: { sql: string }): void => void sql.push(q.sql);
  rt.db.on('query', listen);
  try {
    const profile = await bob.http.get('/people/alice');
    t.is(profile.status, 200);
    t.true(profile.text.includes(`/avatars/${alice}/0123456789abcdef0123-400.jpg`), 'the photo on the profile');
    const edit = await aliceAgent.http.get('/profile/edit');
    t.is(edit.status, 200);
    t.true(edit.text.includes(`/avatars/${alice}/0123456789abcdef0123-160.jpg`), 'the photo on the edit page');
  } finally {
    rt.db.removeListener('query', listen);
  }
  t.deepEqual(
    sql.filter((s) => /^select\s+[`"]?photo_key[`"]?\s+from\s+[`"]?users/i.test(s.trim())),
    [],
    'no statement reads the photo alone',
  );
});
