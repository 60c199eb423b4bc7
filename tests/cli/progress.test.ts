// The backup progress bar: drawn in place on a terminal, nothing at all otherwise.
import test from 'ava';
import { progressBar } from '../../cli/progress';

function stream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const s = { isTTY, text: '', write: (chunk: string) => ((s.text += chunk), true) };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

test('on a terminal the bar is redrawn on one line and cleared at the end', (t) => {
  const out = stream(true);
  const bar = progressBar(out);
  bar.update({ phase: 'tables', done: 1, total: 4 });
  bar.update({ phase: 'tables', done: 4, total: 4 });
  bar.update({ phase: 'files', done: 0, total: 0 });
  bar.done();
  t.deepEqual(out.text.split('\r').filter(Boolean), [
    '[######------------------]  25% tables 1/4\x1b[K',
    '[########################] 100% tables 4/4\x1b[K',
    '[########################] 100% files 0/0\x1b[K',
    '\x1b[K',
  ]);
  t.false(out.text.includes('\n'));
});

test('without a terminal nothing is written', (t) => {
  const out = stream(false);
  const bar = progressBar(out);
  bar.update({ phase: 'tables', done: 1, total: 4 });
  bar.done();
  t.is(out.text, '');
});
