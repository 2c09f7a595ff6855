/**
 * A move killed at any moment (issue #14): the real `offload migrate --delete-source` runs as a child
 * process, from one lab server to the other, and is killed with SIGKILL at points drawn from a seeded
 * schedule — part-way through the source's GET, a single PUT or a part to the target, after the target
 * committed a write or answered the verifying HEAD but before the command heard back, and after the
 * source deleted its copy but before the command heard back. At the kill, every file must be intact on
 * the source or verified on the target. A second run must then finish: every file once on the target
 * (no second copy under another name), byte-identical, the log pointing there, the source copies gone,
 * no multipart upload left — and the invariants I1–I4 over both buckets.
 *
 * Replay a schedule with OFFLOAD_CRASH_SEED=<seed> npm test.
 */
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/core/ledger/ledger';
import { createHarness, PROVIDER_ID, sha256, type Harness } from '../support/engine-harness';
import type { FaultProxy, FaultRule } from '../support/fault-proxy';
import { expectInvariants } from '../support/invariants';
import { type LabServer, startLab } from '../support/lab-servers';
import { runOffload, startOffload } from '../support/run-offload';
import { addSecondStorage, SECOND_ID, type SecondStorage } from '../support/second-storage';
import { seededRandom } from '../support/seeded-random';

const MiB = 1024 * 1024;
const SMALL = 300_000;
const BIG = 20 * MiB; // parts of 8, 8 and 4 MiB
const PART_SIZES = [8 * MiB, 8 * MiB, 4 * MiB];
const KILLS = 10;
const seed = Number(process.env.OFFLOAD_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));

type KillPoint = { label: string; at: 'source' | 'target'; rule: Omit<FaultRule, 'fault'> & { bytes?: number } };

function schedule(random: () => number): KillPoint[] {
  const pick = <T,>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  const points: KillPoint[] = [];
  for (let i = 0; i < KILLS; i++) {
    const kind = pick(['source-get', 'single-put', 'part', 'single-committed', 'multipart-committed', 'verify', 'source-deleted']);
    const name = pick(['small\\.png', 'big\\.mov']);
    const file = name.replace('\\', '');
    switch (kind) {
      case 'source-get':
        points.push({ label: `source GET of ${file} answered, not heard`, at: 'source', rule: { method: 'GET', path: new RegExp(`results/${name}(\\?x-id=GetObject)?$`), times: 1 } });
        break;
      case 'single-put': {
        const bytes = 1 + Math.floor(random() * (SMALL - 1));
        points.push({ label: `target PUT of small.png after ${bytes} bytes`, at: 'target', rule: { method: 'PUT', path: /archive\/small\.png\?x-id=PutObject/, times: 1, bytes } });
        break;
      }
      case 'part': {
        const part = 1 + Math.floor(random() * 3);
        const bytes = 1 + Math.floor(random() * (PART_SIZES[part - 1]! - 1));
        points.push({ label: `target part ${part} of big.mov after ${bytes} bytes`, at: 'target', rule: { method: 'PUT', path: new RegExp(`archive/big\\.mov\\?partNumber=${part}&`), times: 1, bytes } });
        break;
      }
      case 'single-committed':
        points.push({ label: 'target PUT of small.png committed, not heard', at: 'target', rule: { method: 'PUT', path: /archive\/small\.png\?x-id=PutObject/, times: 1 } });
        break;
      case 'multipart-committed':
        points.push({ label: 'target multipart of big.mov completed, not heard', at: 'target', rule: { method: 'POST', path: /archive\/big\.mov\?uploadId=/, times: 1 } });
        break;
      case 'verify':
        // The first HEAD finds the key free; the second is the verification after the write.
        points.push({ label: `target verifying HEAD of ${file}`, at: 'target', rule: { method: 'HEAD', path: new RegExp(`archive/${name}$`), times: 1, skip: 1 } });
        break;
      default:
        points.push({ label: `source DELETE of ${file} done, not heard`, at: 'source', rule: { method: 'DELETE', path: new RegExp(`results/${name}(\\?x-id=DeleteObject)?$`), times: 1 } });
    }
  }
  return points;
}

describe('a move killed at seeded points, then run again', () => {
  let s3rver: LabServer;
  let rgw: LabServer;
  beforeAll(async () => {
    s3rver = await startLab('s3rver');
    rgw = await startLab('ceph-rgw');
    console.log(`move crash schedule seed: ${seed} (replay with OFFLOAD_CRASH_SEED=${seed})`);
  });
  afterAll(async () => {
    await s3rver?.stop();
    await rgw?.stop();
  });

  it.each(schedule(seededRandom(seed)).map((p, i) => [i + 1, p.label, p] as const))('kill %i: %s', async (_n, _label, point) => {
    const h: Harness = await createHarness(s3rver);
    let second: SecondStorage | undefined;
    try {
      await h.configure({ retention: { rightAway: true }, upload: { partSizeBytes: 8 * MiB, multipartThresholdBytes: 8 * MiB } });
      second = await addSecondStorage(h, s3rver, rgw);
      const originals = { 'small.png': randomBytes(SMALL), 'big.mov': randomBytes(BIG) };
      for (const [name, data] of Object.entries(originals)) await h.write(name, data);
      const config = ['--config', h.settingsFile];
      expect((await runOffload(['watch', '--once', ...config], second.env)).code).toBe(0);

      const args = ['migrate', '--from', PROVIDER_ID, '--to', SECOND_ID, '--delete-source', ...config];
      const run = startOffload(args, second.env);
      const proxy: FaultProxy = point.at === 'source' ? h.proxy : second.proxy;
      const { bytes, ...rule } = point.rule;
      proxy.inject({ ...rule, fault: { type: 'intercept', ...(bytes === undefined ? {} : { atRequestBytes: bytes }), then: () => run.child.kill('SIGKILL') } });
      const first = await run.done;
      expect(first.signal, `seed ${seed}: the kill point was never reached (${first.stdout}${first.stderr})`).toBe('SIGKILL');
      proxy.clear();
      await h.proxy.quiet();
      await second.proxy.quiet();

      // At the kill: each file intact on the source, or verified on the target.
      for (const [name, data] of Object.entries(originals)) {
        const onSource = await h.object(`results/${name}`);
        const onTarget = await second.object(`archive/${name}`);
        const intact = (onSource && sha256(onSource) === sha256(data)) || (onTarget && sha256(onTarget) === sha256(data));
        expect(intact, `seed ${seed}: ${name} neither on the source nor on the target`).toBeTruthy();
      }

      const again = await runOffload(args, second.env);
      expect(again.code, `seed ${seed}: the second run failed: ${again.stdout}${again.stderr}`).toBe(0);

      // Every file once on the target, byte-identical; the source copies gone; nothing left open.
      expect(await second.keys()).toEqual(['archive/big.mov', 'archive/small.png']);
      for (const [name, data] of Object.entries(originals)) expect(sha256((await second.object(`archive/${name}`))!)).toBe(sha256(data));
      expect(await h.keys()).toEqual([]);
      for (const [s3, bucket] of [
        [h.s3, h.bucket],
        [second.s3, second.bucket],
      ] as const) {
        expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? []).toEqual([]);
      }
      const ledger = Ledger.open(join(h.root, 'config', 'ledger.sqlite'));
      try {
        for (const name of Object.keys(originals)) {
          expect(ledger.latestForPath(join(h.watchDir, name))).toMatchObject({ state: 'local-removed', providerId: SECOND_ID, bucket: second.bucket, key: `archive/${name}` });
        }
        expect(ledger.moves.all()).toEqual([]);
      } finally {
        ledger.close();
      }
      await expectInvariants(h);
    } finally {
      await second?.stop();
      await h.cleanup();
    }
  });
});
