import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createThrottle } from '../../src/core/offload/throttle';

afterEach(() => vi.useRealTimers());

describe('bandwidth limit', () => {
  it('lets bytes through no faster than the limit, shared across streams', async () => {
    vi.useFakeTimers();
    const throttle = createThrottle(1000);
    let passed = 0;
    for (const _ of [1, 2]) {
      const out = throttle(Readable.from([Buffer.alloc(500), Buffer.alloc(500), Buffer.alloc(500)]));
      out.on('data', (chunk: Buffer) => (passed += chunk.length));
    }
    await vi.advanceTimersByTimeAsync(10);
    expect(passed).toBeLessThanOrEqual(1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(passed).toBeLessThanOrEqual(2000);
    expect(passed).toBeGreaterThan(1000);
    await vi.advanceTimersByTimeAsync(2000);
    expect(passed).toBe(3000);
  });
});
