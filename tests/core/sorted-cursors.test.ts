// Cursors of a list with several orders (core/http/api/pagination.ts, `encodeCursor(key, sort)`):
// a cursor names the order it was written in, and is read back only for that order, so a page
// link of one sort is never read as a key of another whose keys look alike (the files plugin's
// newest and largest: two integers). Cursors without a sort read as before.
import test from 'ava';
import { decodeCursor, encodeCursor } from '../../core';

test('a cursor naming its sort is read back for that sort only', (t) => {
  const largest = encodeCursor([5_000, 12], 'size');
  t.deepEqual(decodeCursor(largest, ['int', 'int'], 'size'), [5_000, 12]);
  t.is(decodeCursor(largest, ['int', 'int'], 'date'), null, 'another sort with keys alike');
  t.is(decodeCursor(largest, ['int', 'int']), null, 'a list without sorts');
  t.is(decodeCursor(encodeCursor([5_000, 12]), ['int', 'int'], 'size'), null, 'a cursor naming no sort, on a sorted list');
  t.is(decodeCursor(encodeCursor(['size', 'x', 1]), ['int', 'int'], 'size'), null, 'the key still fits its parts');
  t.deepEqual(decodeCursor(encodeCursor(['p', 3], 'name'), ['text', 'int'], 'name'), ['p', 3]);
  t.deepEqual(decodeCursor(encodeCursor([1, 2]), ['int', 'int']), [1, 2], 'unchanged without sorts');
});
