import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettleTracker, type SettledFile } from '../../src/core/watch/settle-tracker';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('settle tracker', () => {
  it('reports a file once it has stopped changing for the settle window, with its final size', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'settle-'));
    const path = join(dir, 'a.png');
    const settled: SettledFile[] = [];
    const tracker = new SettleTracker(150, (f) => settled.push(f));
    await writeFile(path, 'x');
    tracker.observe(path);
    for (let i = 0; i < 5; i++) {
      await sleep(60);
      await appendFile(path, 'more');
      tracker.observe(path);
    }
    expect(settled).toEqual([]);
    await sleep(500);
    expect(settled.map((f) => [f.path, f.size])).toEqual([[path, 21]]);
    tracker.close();
  });

  it('reports a file that vanished instead of settling it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'settle-'));
    const path = join(dir, 'gone.png');
    const vanished: string[] = [];
    const tracker = new SettleTracker(50, () => expect.fail('must not settle'), (p) => vanished.push(p));
    await writeFile(path, 'x');
    tracker.observe(path);
    await rm(path);
    await sleep(200);
    expect(vanished).toEqual([path]);
    expect(tracker.size).toBe(0);
  });

  it('stops every timer on close (twice is fine)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'settle-'));
    const tracker = new SettleTracker(50, () => expect.fail('closed'));
    await writeFile(join(dir, 'a'), 'x');
    tracker.observe(join(dir, 'a'));
    tracker.close();
    tracker.close();
    await sleep(200);
    expect(tracker.size).toBe(0);
  });
});
