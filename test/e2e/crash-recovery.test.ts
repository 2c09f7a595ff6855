/**
 * Crash recovery (RELIABILITY.md cases 9 and 10, invariants I1–I3): the real `offload watch --once`
 * runs as a child process and is killed with SIGKILL at points drawn from a seeded random schedule —
 * part-way through a single PUT, part-way through a multipart part, after the server committed a write
 * but before the command heard back, at verification, and during local removal. A restart must then
 * finish the work: no file lost, no partial or duplicate object, no orphaned multipart upload, and
 * nothing re-uploaded that was already verified.
 *
 * Replay a schedule with OFFLOAD_CRASH_SEED=<seed> npm test.
 */
import { ListMultipartUploadsCommand, ListPartsCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/core/ledger/ledger';
import { createHarness, headObject, sha256, type Harness } from '../support/engine-harness';
import type { FaultRule } from '../support/fault-proxy';
import { labServers, type LabServer } from '../support/lab-servers';
import { runOffload, startOffload } from '../support/run-offload';
import { seededRandom } from '../support/seeded-random';

const MiB = 1024 * 1024;
const SMALL = 300_000;
const BIG = 20 * MiB; // three parts of 8, 8 and 4 MiB
const PART_SIZES = [8 * MiB, 8 * MiB, 4 * MiB];
const KILLS_PER_SERVER = 20;
const seed = Number(process.env.OFFLOAD_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));

type KillPoint = { label: string; rule: Omit<FaultRule, 'fault'> & { at?: number } };

/** The schedule: which request to kill at, and where within it. */
function schedule(random: () => number): KillPoint[] {
  const pick = <T,>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  const points: KillPoint[] = [];
  for (let i = 0; i < KILLS_PER_SERVER; i++) {
    const kind = pick(['single-put', 'part', 'single-committed', 'multipart-committed', 'verify', 'removal']);
    const name = pick(['small\\.png', 'big\\.mov']);
    switch (kind) {
      case 'single-put': {
        const at = 1 + Math.floor(random() * (SMALL - 1));
        points.push({ label: `single PUT after ${at} bytes`, rule: { method: 'PUT', path: /small\.png\?x-id=PutObject/, times: 1, at } });
        break;
      }
      case 'part': {
        const part = 1 + Math.floor(random() * 3);
        const at = 1 + Math.floor(random() * (PART_SIZES[part - 1]! - 1));
        points.push({ label: `part ${part} after ${at} bytes`, rule: { method: 'PUT', path: new RegExp(`big\\.mov\\?partNumber=${part}&`), times: 1, at } });
        break;
      }
      case 'single-committed':
        points.push({ label: 'single PUT committed, answer not heard', rule: { method: 'PUT', path: /small\.png\?x-id=PutObject/, times: 1 } });
        break;
      case 'multipart-committed':
        points.push({ label: 'multipart completed, answer not heard', rule: { method: 'POST', path: /big\.mov\?uploadId=/, times: 1 } });
        break;
      case 'verify':
        points.push({ label: `verification HEAD of ${name.replace('\\', '')}`, rule: { method: 'HEAD', path: new RegExp(`${name}$`), times: 1, skip: 1 } });
        break;
      default:
        points.push({ label: `local removal of ${name.replace('\\', '')}`, rule: { method: 'HEAD', path: new RegExp(`${name}$`), times: 1, skip: 2 } });
    }
  }
  return points;
}

describe.each(labServers)('crash recovery on $name', (server) => {
  let lab: LabServer;
  beforeAll(async () => {
    lab = await server.start();
    console.log(`crash schedule seed: ${seed} (replay with OFFLOAD_CRASH_SEED=${seed})`);
  });
  afterAll(async () => lab?.stop());

  const points = schedule(seededRandom(seed + (server.name === 'ceph-rgw' ? 1 : 0)));

  it.each(points.map((p, i) => [i + 1, p.label, p] as const))('kill %i: %s', async (_n, _label, point) => {
    const h: Harness = await createHarness(lab);
    try {
      await h.configure({ retention: { rightAway: true }, upload: { settleMs: 100, partSizeBytes: 8 * MiB, multipartThresholdBytes: 8 * MiB } });
      const originals = { 'small.png': randomBytes(SMALL), 'big.mov': randomBytes(BIG) };
      for (const [name, data] of Object.entries(originals)) await h.write(name, data);
      const env = { OFFLOAD_STUDIO_BUCKET_ACCESS_KEY_ID: lab.users.main.accessKeyId, OFFLOAD_STUDIO_BUCKET_SECRET_ACCESS_KEY: lab.users.main.secretAccessKey };
      const args = ['watch', '--once', '--config', h.settingsFile];

      const run = startOffload(args, env);
      const { at, ...rule } = point.rule;
      h.proxy.inject({ ...rule, fault: { type: 'intercept', ...(at === undefined ? {} : { atRequestBytes: at }), then: () => run.child.kill('SIGKILL') } });
      const first = await run.done;
      expect(first.signal, `seed ${seed}: the kill point was never reached (${first.stdout}${first.stderr})`).toBe('SIGKILL');
      h.proxy.clear();
      await h.proxy.quiet();

      // What the killed run left: verified files, and multipart parts already on the server.
      const ledgerFile = join(h.root, 'config', 'ledger.sqlite');
      const before = Ledger.open(ledgerFile);
      const verifiedBefore = before.list({ states: ['offloaded', 'local-removed'] }).map((r) => r.relPath);
      const bigRow = before.latestForPath(join(h.watchDir, 'big.mov'));
      const pending = bigRow ? before.multipartOf(bigRow.id) : null;
      before.close();
      const partsDone = pending
        ? ((await h.s3.send(new ListPartsCommand({ Bucket: h.bucket, Key: pending.key, UploadId: pending.uploadId })).catch(() => ({ Parts: [] }))).Parts ?? []).length
        : 0;

      const restartFrom = h.proxy.seen.length;
      const second = await runOffload(args, env);
      expect(second.code, `seed ${seed}: restart failed: ${second.stdout}${second.stderr}`).toBe(0);
      const restartWrites = h.proxy.seen.slice(restartFrom).filter((r) => r.method === 'PUT' || r.method === 'POST');

      // I1: every file is either still local with its bytes, or verified remotely before it went.
      for (const [name, data] of Object.entries(originals)) {
        const local = await readFile(join(h.watchDir, name)).catch(() => null);
        const remote = await h.object(`results/${name}`);
        expect(local ?? remote, `seed ${seed}: ${name} lost`).not.toBeNull();
        if (local) expect(sha256(local), `${name} changed locally`).toBe(sha256(data));
        expect(remote && sha256(remote), `${name} remote copy`).toBe(sha256(data));
      }
      // I2: only the two objects, both whole; no multipart upload left behind; no aside files left.
      expect(await h.keys()).toEqual(['results/big.mov', 'results/small.png']);
      expect((await h.s3.send(new ListMultipartUploadsCommand({ Bucket: h.bucket }))).Uploads ?? []).toEqual([]);
      expect((await readdir(h.watchDir)).filter((f) => f.endsWith('.offload-removing'))).toEqual([]);
      for (const name of Object.keys(originals)) expect((await headObject(h, `results/${name}`))?.metadata.sha256).toBe(sha256(originals[name as keyof typeof originals]));
      // I3: nothing verified before the crash is uploaded again; an interrupted multipart upload resumes.
      for (const name of verifiedBefore) expect(restartWrites.filter((w) => w.url.includes(name)), `${name} re-uploaded`).toEqual([]);
      if (pending && partsDone > 0) {
        const partsSent = restartWrites.filter((w) => w.url.includes('big.mov?partNumber=')).length;
        expect(partsSent, `resumed upload re-sent parts the server had`).toBe(3 - partsDone);
      }
      const after = Ledger.open(ledgerFile);
      for (const name of Object.keys(originals)) {
        expect(['offloaded', 'local-removed']).toContain(after.latestForPath(join(h.watchDir, name))?.state);
      }
      after.close();
    } finally {
      await h.cleanup();
    }
  });
});
