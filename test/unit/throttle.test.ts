import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createThrottle } from '../../src/core/offload/throttle';
import { bandwidthLimitAt } from '../../src/shared/bandwidth-schedule';

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

describe('a limit that changes over time', () => {
  const flow = (throttle: (s: Readable) => Readable, chunks: number, size: number) => {
    const seen = { passed: 0 };
    throttle(Readable.from(Array.from({ length: chunks }, () => Buffer.alloc(size)))).on('data', (chunk: Buffer) => (seen.passed += chunk.length));
    return seen;
  };

  it('lets everything through while there is no limit (null or 0)', async () => {
    vi.useFakeTimers();
    for (const none of [null, 0]) {
      const seen = flow(createThrottle(() => none), 10, 100_000);
      await vi.advanceTimersByTimeAsync(1);
      expect(seen.passed).toBe(1_000_000);
    }
  });

  it('follows a schedule: limited until 19:00, then unlimited, reading the limit again each second', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date(2025, 5, 11, 18, 59, 58));
    const throttle = createThrottle(() => bandwidthLimitAt({ bandwidthLimitBytesPerSec: null, bandwidthSchedule: '08:00,1k 19:00,off' }, new Date()));
    const seen = flow(throttle, 40, 256);
    await vi.advanceTimersByTimeAsync(10);
    expect(seen.passed).toBeLessThanOrEqual(1024);
    await vi.advanceTimersByTimeAsync(1000); // 18:59:59
    expect(seen.passed).toBeLessThanOrEqual(2048);
    await vi.advanceTimersByTimeAsync(1100); // past 19:00: the limit is off
    expect(seen.passed).toBe(40 * 256);
  });

  it('takes up a limit that starts while streaming', async () => {
    vi.useFakeTimers();
    let limit: number | null = null;
    const throttle = createThrottle(() => limit);
    const first = flow(throttle, 4, 1000);
    await vi.advanceTimersByTimeAsync(1);
    expect(first.passed).toBe(4000);
    limit = 1000;
    await vi.advanceTimersByTimeAsync(1000);
    const second = flow(throttle, 5, 1000);
    await vi.advanceTimersByTimeAsync(10);
    expect(second.passed).toBeLessThanOrEqual(1000);
    await vi.advanceTimersByTimeAsync(2000);
    expect(second.passed).toBeLessThanOrEqual(3000);
    await vi.advanceTimersByTimeAsync(3000);
    expect(second.passed).toBe(5000);
  });
});
