import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TupleIds } from '../../server/src/model/tupleIds';

describe('tuple ids', () => {
  it('gives each distinct tuple the next id and the same tuple the same id, through growth', () => {
    const ids = new TupleIds(3);
    const tupleOf = (n: number): number[] => [n % 97, Math.floor(n / 97), n % 2 === 0 ? -n : 0xffff_0000 + n];
    const idOf = (n: number): number => {
      ids.key.set(tupleOf(n));
      return ids.idOf();
    };
    // 5,000 tuples (the table grows several times), each asked twice, the second time in reverse order.
    for (let n = 0; n < 5000; n++) assert.equal(idOf(n), n);
    for (let n = 4999; n >= 0; n--) assert.equal(idOf(n), n);
    assert.equal(ids.size, 5000);
    for (const n of [0, 1, 2500, 4999]) {
      assert.deepEqual([...ids.tuples.subarray(n * 3, n * 3 + 3)], [...Int32Array.from(tupleOf(n))]);
    }
  });

  it('tells apart tuples that differ in one place only', () => {
    const ids = new TupleIds(2);
    const pairs = [
      [1, 2],
      [2, 1],
      [1, 3],
      [0, 2],
      [1, 2],
    ];
    assert.deepEqual(
      pairs.map((pair) => {
        ids.key.set(pair);
        return ids.idOf();
      }),
      [0, 1, 2, 3, 0],
    );
  });
});
