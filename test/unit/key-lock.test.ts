import { describe, expect, it } from 'vitest';
import { KeyLock } from '../../src/core/offload/key-lock';

describe('key lock', () => {
  it('lets the second holder of a key in only after the first releases; other keys do not wait', async () => {
    const lock = new KeyLock();
    const order: string[] = [];
    const releaseA = await lock.acquire('k');
    const second = lock.acquire('k').then((release) => {
      order.push('second k');
      release();
    });
    const other = lock.acquire('other').then((release) => {
      order.push('other');
      release();
    });
    await other;
    order.push('first k releases');
    releaseA();
    await second;
    expect(order).toEqual(['other', 'first k releases', 'second k']);
  });
});
