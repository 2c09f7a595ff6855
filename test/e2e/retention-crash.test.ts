/**
 * kill -9 during a retention pass (issue #19, added to the crash schedule): `offload retention --now`
 * runs as a child process (a low-space policy whose mark no disk is above, so the pass removes every copy)
 * and is killed with SIGKILL at points drawn from a seeded schedule — while a file's removal re-checks the
 * bucket (its copy renamed aside), or a random time into the pass (each re-check answered 60 ms late).
 * Whatever the kill left: no file is lost (each is still here, or aside, or verified in the bucket), and
 * the next `offload retention --now` alone finishes the pass (an aside copy put back first) — every copy
 * removed once, nothing left aside, the log saying `local-removed` for each, the bucket untouched — and a
 * following `offload watch --once` uploads nothing.
 *
 * Replay a schedule with OFFLOAD_CRASH_SEED=<seed> npm test.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/core/ledger/ledger';
import { createHarness, sha256, type Harness } from '../support/engine-harness';
import { labServers, type LabServer } from '../support/lab-servers';
import { runOffload, startOffload } from '../support/run-offload';
import { seededRandom } from '../support/seeded-random';

const MiB = 1024 * 1024;
const FILES = { 'a.png': 300_000, 'b.png': 450_000, 'clip.mov': 10 * MiB, 'c.png': 200_000, 'd.png': 2 * MiB };
const KILLS_PER_SERVER = 6;
const seed = Number(process.env.OFFLOAD_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));

type KillPoint = { label: string; headSkip?: number; afterMs?: number };

function schedule(random: () => number): KillPoint[] {
  return Array.from({ length: KILLS_PER_SERVER }, () => {
    if (random() < 0.5) {
      const skip = Math.floor(random() * Object.keys(FILES).length);
      return { label: `removal ${skip + 1}: copy set aside, bucket being re-checked`, headSkip: skip };
    }
    const afterMs = Math.floor(random() * 250);
    return { label: `${afterMs} ms after the pass's first check of the bucket`, afterMs };
  });
}

describe.each(labServers)('kill -9 during a retention pass on $name', (server) => {
  let lab: LabServer;
  beforeAll(async () => {
    lab = await server.start();
    console.log(`retention crash schedule seed: ${seed} (replay with OFFLOAD_CRASH_SEED=${seed})`);
  });
  afterAll(async () => lab?.stop());

  const points = schedule(seededRandom(seed + (server.name === 'ceph-rgw' ? 1 : 0)));

  it.each(points.map((p, i) => [i + 1, p.label, p] as const))('kill %i: %s', async (_n, _label, point) => {
    const h: Harness = await createHarness(lab);
    try {
      await h.configure({ upload: { settleMs: 100, partSizeBytes: 8 * MiB, multipartThresholdBytes: 8 * MiB } });
      const originals = Object.fromEntries(Object.entries(FILES).map(([name, size]) => [name, randomBytes(size)]));
      for (const [name, data] of Object.entries(originals)) await h.write(name, data);
      const env = { OFFLOAD_STUDIO_BUCKET_ACCESS_KEY_ID: lab.users.main.accessKeyId, OFFLOAD_STUDIO_BUCKET_SECRET_ACCESS_KEY: lab.users.main.secretAccessKey };
      const config = ['--config', h.settingsFile];
      // A pinned file stays through it all (and keeps the folder from looking like an unmounted drive).
      const keep = await h.write('keep.png', randomBytes(10_000));
      // Offloaded while the policy keeps everything; then the policy removes them, by a pass.
      expect((await runOffload(['watch', '--once', ...config], env)).code).toBe(0);
      expect((await runOffload(['pin', keep, ...config], env)).code).toBe(0);
      // A mark no disk here is above: a pass (not the upload's own removal) removes every copy.
      await h.configure({ retention: { lowSpace: { below: 99.9, unit: '%' } } });

      const seenBefore = h.proxy.seen.length;
      const run = startOffload(['retention', '--now', ...config], env);
      let finished = false;
      if (point.headSkip !== undefined) h.proxy.inject({ method: 'HEAD', path: /\.(png|mov)$/, times: 1, skip: point.headSkip, fault: { type: 'intercept', then: () => run.child.kill('SIGKILL') } });
      else {
        // Each re-check of the bucket answered 60 ms late: the pass lasts long enough for every drawn time.
        h.proxy.inject({ method: 'HEAD', path: /\.(png|mov)$/, times: 100, fault: { type: 'delay', ms: 60 } });
        // Timed from the pass's first HEAD, not from the process start (which takes longer than a pass).
        void (async () => {
          while (!finished && !h.proxy.seen.slice(seenBefore).some((r) => r.method === 'HEAD')) await new Promise((r) => setTimeout(r, 5));
          await new Promise((r) => setTimeout(r, point.afterMs));
          if (!finished) run.child.kill('SIGKILL');
        })();
      }
      const first = await run.done;
      finished = true;
      expect(first.signal, `seed ${seed}: the kill point was never reached (${first.stdout}${first.stderr})`).toBe('SIGKILL');
      h.proxy.clear();
      await h.proxy.quiet();

      // At the kill: every file is here (maybe under its aside name) or verified in the bucket.
      const names = await readdir(h.watchDir);
      for (const [name, data] of Object.entries(originals)) {
        const local = names.includes(name) ? name : names.includes(`${name}.offload-removing`) ? `${name}.offload-removing` : null;
        const remote = await h.object(`results/${name}`);
        expect(remote && sha256(remote), `seed ${seed}: ${name} remote copy`).toBe(sha256(data));
        if (local) expect(sha256(await readFile(join(h.watchDir, local))), `seed ${seed}: ${local} changed`).toBe(sha256(data));
      }

      // The next pass alone finishes it: an aside copy put back and removed properly, the log brought up
      // to date; a following `watch --once` finds nothing to do.
      const pass = await runOffload(['retention', '--now', '--json', ...config], env);
      expect(pass.code, `seed ${seed}: ${pass.stdout}${pass.stderr}`).toBe(0);
      expect(JSON.parse(pass.stdout).kept).toEqual([]);
      const writes = h.writes().length;
      const watch = await runOffload(['watch', '--once', ...config], env);
      expect(watch.code, `seed ${seed}: ${watch.stdout}${watch.stderr}`).toBe(0);
      expect(h.writes().length, `seed ${seed}: nothing uploaded again`).toBe(writes);

      expect(await readdir(h.watchDir)).toEqual(['keep.png']);
      expect(await h.keys()).toEqual([...Object.keys(FILES), 'keep.png'].map((n) => `results/${n}`).sort());
      const ledger = Ledger.open(join(h.root, 'config', 'ledger.sqlite'));
      try {
        for (const name of Object.keys(FILES)) expect(ledger.latestForPath(join(h.watchDir, name))?.state, `seed ${seed}: ${name}`).toBe('local-removed');
        expect(ledger.latestForPath(keep)?.state).toBe('offloaded');
      } finally {
        ledger.close();
      }
      for (const [name, data] of Object.entries(originals)) expect(sha256((await h.object(`results/${name}`))!)).toBe(sha256(data));
    } finally {
      await h.cleanup();
    }
  });
});
