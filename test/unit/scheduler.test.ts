/**
 * The scheduler (src/core/offload/scheduler.ts) and the offline gate (offline-gate.ts), every branch,
 * with a run function the test settles by hand and fake timers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_PROBE_DELAY_MS, OfflineGate } from '../../src/core/offload/offline-gate';
import { Scheduler } from '../../src/core/offload/scheduler';

/** A scheduler whose runs wait until the test finishes them. */
function harness(limit = 2) {
  const started: number[] = [];
  const finishers = new Map<number, () => void>();
  const signals = new Map<number, AbortSignal>();
  let mayStart = true;
  let changes = 0;
  const scheduler = new Scheduler({
    limit: () => limit,
    mayStart: () => mayStart,
    run: (id, signal) => {
      started.push(id);
      signals.set(id, signal);
      return new Promise<void>((resolve) => {
        finishers.set(id, resolve);
        signal.addEventListener('abort', () => resolve());
      });
    },
    onChange: () => changes++,
  });
  const finish = async (id: number) => {
    finishers.get(id)!();
    await vi.advanceTimersByTimeAsync(0);
  };
  return { scheduler, started, signals, finish, setLimit: (n: number) => (limit = n), halt: () => (mayStart = false), changes: () => changes };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Scheduler', () => {
  it('runs files in order, at most `limit` at once, and starts the next when one ends', async () => {
    const t = harness(2);
    for (const id of [1, 2, 3]) t.scheduler.enqueue(id);
    expect(t.started).toEqual([1, 2]);
    expect([t.scheduler.running, t.scheduler.waiting, t.scheduler.empty]).toEqual([2, 1, false]);
    await t.finish(1);
    expect(t.started).toEqual([1, 2, 3]);
    await t.finish(2);
    await t.finish(3);
    expect(t.scheduler.empty).toBe(true);
    expect(t.changes()).toBeGreaterThan(0);
  });

  it('never queues a file twice, nor one that is running', () => {
    const t = harness(1);
    t.scheduler.enqueue(1);
    t.scheduler.enqueue(1);
    t.scheduler.enqueue(2);
    t.scheduler.enqueue(2);
    expect([t.scheduler.running, t.scheduler.waiting]).toEqual([1, 1]);
  });

  it('holds queued files while paused and starts them on resume', () => {
    const t = harness(2);
    t.scheduler.pause();
    t.scheduler.enqueue(1);
    expect(t.started).toEqual([]);
    expect(t.scheduler.paused).toBe(true);
    t.scheduler.resume();
    expect(t.started).toEqual([1]);
  });

  it('starts nothing once the engine may not (ledger unwritable), and nothing past a limit of 0', () => {
    const t = harness(0);
    t.scheduler.enqueue(1);
    expect(t.started).toEqual([]);
    t.setLimit(2);
    t.halt();
    t.scheduler.pump();
    expect(t.started).toEqual([]);
  });

  it('queues a file again when its retry timer fires, and counts it as waiting meanwhile', async () => {
    const t = harness(1);
    t.scheduler.retryAfter(7, 1000);
    expect([t.scheduler.waiting, t.scheduler.empty]).toEqual([1, false]);
    await vi.advanceTimersByTimeAsync(999);
    expect(t.started).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.started).toEqual([7]);
  });

  it('runs a probe past the limit, taking it out of the queue', () => {
    const t = harness(0);
    t.scheduler.enqueue(3);
    t.scheduler.runNow(3);
    t.scheduler.runNow(3);
    expect(t.started).toEqual([3]);
    expect(t.scheduler.waiting).toBe(0);
  });

  it('stops: aborts what runs, drops the queue and timers, waits, and can be called twice', async () => {
    const t = harness(1);
    t.scheduler.enqueue(1);
    t.scheduler.enqueue(2);
    t.scheduler.retryAfter(3, 10);
    const stopping = t.scheduler.stop();
    expect(t.signals.get(1)!.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(50);
    await stopping;
    await t.scheduler.stop();
    expect(t.scheduler.empty).toBe(true);
    t.scheduler.enqueue(4);
    t.scheduler.retryAfter(5, 1);
    t.scheduler.runNow(6);
    await vi.advanceTimersByTimeAsync(10);
    expect(t.started).toEqual([1]);
  });
});

describe('OfflineGate', () => {
  function gate(mayProbe = () => true) {
    const probes: number[] = [];
    const g = new OfflineGate({ baseDelayMs: 250, mayProbe, probe: (id) => probes.push(id) });
    return { g, probes };
  }

  it('goes offline on the first hold only, and probes one held file after the delay', async () => {
    const { g, probes } = gate();
    expect(g.hold(1)).toBe(true);
    expect(g.hold(2)).toBe(false);
    expect([g.offline, g.held]).toEqual([true, 2]);
    await vi.advanceTimersByTimeAsync(250);
    expect(probes).toEqual([1]);
    expect(g.held).toBe(1);
  });

  it('doubles the delay after each failed probe, up to a minute; other files failing do not', async () => {
    const { g, probes } = gate();
    g.hold(1);
    g.hold(2);
    expect(g.delayMs).toBe(250);
    g.hold(3); // not the probe
    expect(g.delayMs).toBe(250);
    for (let round = 0; round < 12; round++) {
      await vi.advanceTimersByTimeAsync(g.delayMs!);
      g.hold(probes.at(-1)!); // the probe found it unreachable again
    }
    expect(g.delayMs).toBe(MAX_PROBE_DELAY_MS);
  });

  it('waits with the probe while it may not run (paused, or another upload running)', async () => {
    let may = false;
    const { g, probes } = gate(() => may);
    g.hold(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(probes).toEqual([]);
    may = true;
    await vi.advanceTimersByTimeAsync(250);
    expect(probes).toEqual([1]);
  });

  it('releases every held file when the bucket answers, once', async () => {
    const { g, probes } = gate();
    g.hold(1);
    g.hold(2);
    expect(g.answered()).toEqual([1, 2]);
    expect(g.offline).toBe(false);
    expect(g.answered()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(probes).toEqual([]);
  });

  it('stops its timer (idempotent)', async () => {
    const { g, probes } = gate();
    g.hold(1);
    g.stop();
    g.stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect([probes, g.offline]).toEqual([[], false]);
  });

  it('does nothing on a timer with no file left to probe', async () => {
    const { g, probes } = gate();
    g.hold(1);
    await vi.advanceTimersByTimeAsync(250);
    expect(probes).toEqual([1]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(probes).toEqual([1]);
  });
});
