import test from 'ava';
import { BackgroundWork } from '../../core';
import { eachTestApp } from '../helpers/each-app';

const later = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));

test('settled waits for tracked work, for work started meanwhile, and ignores failures', async (t) => {
  const bg = new BackgroundWork();
  await bg.settled(); // nothing tracked: resolves at once
  const done: string[] = [];
  t.is(await bg.track(later(5, 'first')), 'first', 'track hands the work back unchanged');
  void bg.track(later(20, 'a').then((v) => void done.push(v)));
  void bg.track(
    later(10, 'b').then((v) => {
      done.push(v);
      void bg.track(later(20, 'c').then((c) => void done.push(c))); // started while settled() waits
    }),
  );
  const failing = bg.track(Promise.reject(new Error('boom')));
  await t.throwsAsync(failing, { message: 'boom' }, 'the caller still sees its own failure');
  await bg.settled();
  t.deepEqual(done.sort(), ['a', 'b', 'c']);
  t.is(bg.size, 0);
});

eachTestApp('closing the app waits for the background work it tracks', async (t, app) => {
  const rt = app.app.ruche;
  let written = false;
  void rt.background.track(later(50, null).then(async () => void (written = (await rt.db('users').count({ n: '*' })).length === 1)));
  await app.close();
  t.true(written, 'the work ran to its end, on an open database, before close() resolved');
});
