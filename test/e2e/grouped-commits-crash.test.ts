/**
 * A kill -9 between grouped ledger commits (issue #16 "Fewer ledger commits"; ledger.ts): the ledger
 * commits the state changes of one turn of the event loop together, and commits the state a local
 * removal relies on durably before the removal starts. The real `offload watch --once` offloads a folder
 * of small files four at a time, removing each local copy right after upload (retention "right away"),
 * and is killed with SIGKILL when the server has answered a request chosen from a seeded schedule — the
 * other files' changes of that moment may be in a group not yet committed. Half the runs first learn from `offload test` that the
 * provider honours create-only writes (the PUT is then the conflict check, write-plan.ts).
 *
 * At the kill: every file is still here (or set aside, to be put back), or the ledger records it
 * verified at a key whose object holds its bytes — no removal ever relied on a state the kill took.
 * After a second run: every file verified once, under its own key, nothing verified before uploaded
 * again, and the invariants I1–I4.
 *
 * Replay a schedule with OFFLOAD_CRASH_SEED=<seed> npm test.
 */
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/core/ledger/ledger';
import { createHarness, sha256, type Harness } from '../support/engine-harness';
import { expectInvariantsThenCleanup } from '../support/invariants';
import { labServers, type LabServer } from '../support/lab-servers';
import { runOffload, startOffload } from '../support/run-offload';
import { seededRandom } from '../support/seeded-random';

const FILES = 24;
const SIZE = 40_000;
const KILLS_PER_SERVER = 6;
/** Each file costs at least a PUT and two HEADs (verify, removal re-check): any of these requests is reached. */
const REACHABLE = FILES * 3;
const seed = Number(process.env.OFFLOAD_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const REMOVING = '.offload-removing';

describe.each(labServers)('kill -9 between grouped commits on $name', (server) => {
  let lab: LabServer;
  beforeAll(async () => {
    lab = await server.start();
    console.log(`grouped-commits crash seed: ${seed} (replay with OFFLOAD_CRASH_SEED=${seed})`);
  });
  afterAll(async () => lab?.stop());

  const random = seededRandom(seed + (server.name === 'ceph-rgw' ? 7 : 3));
  const points = Array.from({ length: KILLS_PER_SERVER }, (_, i) => ({ skip: Math.floor(random() * REACHABLE), observed: i % 2 === 1 }));

  it.each(points.map((p, i) => [i + 1, p.skip, p.observed ? 'create-only writes observed' : 'looking first', p] as const))('kill %i: at request %i for the files (%s)', async (_n, _skip, _mode, point) => {
    const h: Harness = await createHarness(lab);
    try {
      await h.configure({ retention: { rightAway: true }, upload: { settleMs: 100 } });
      const originals = new Map<string, Buffer>();
      for (let i = 0; i < FILES; i++) {
        const name = `shot-${String(i).padStart(2, '0')}.png`;
        originals.set(name, randomBytes(SIZE));
        await h.write(`shots/${name}`, originals.get(name)!);
      }
      const env = { OFFLOAD_STUDIO_BUCKET_ACCESS_KEY_ID: lab.users.main.accessKeyId, OFFLOAD_STUDIO_BUCKET_SECRET_ACCESS_KEY: lab.users.main.secretAccessKey };
      if (point.observed) {
        const test = await runOffload(['test', '--config', h.settingsFile], env);
        expect(test.code, `offload test: ${test.stdout}${test.stderr}`).toBe(0);
      }

      const run = startOffload(['watch', '--once', '--config', h.settingsFile], env);
      h.proxy.inject({ path: /\/results\/shots\//, times: 1, skip: point.skip, fault: { type: 'intercept', then: () => run.child.kill('SIGKILL') } });
      const first = await run.done;
      expect(first.signal, `seed ${seed}: the kill point was never reached (${first.stdout}${first.stderr})`).toBe('SIGKILL');
      h.proxy.clear();
      await h.proxy.quiet();

      // What the kill left: a file gone from its place was set aside, or is verified in the ledger at a
      // key whose object holds its bytes (the state its removal relied on survived the kill).
      const ledgerFile = join(h.root, 'config', 'ledger.sqlite');
      const present = new Set(await readdir(join(h.watchDir, 'shots')));
      const atKill = Ledger.open(ledgerFile);
      const verifiedBefore: string[] = [];
      try {
        for (const [name, data] of originals) {
          const row = atKill.latestForPath(join(h.watchDir, 'shots', name));
          const verified = row !== null && (row.state === 'offloaded' || row.state === 'local-removed');
          if (verified) verifiedBefore.push(name);
          if (present.has(name) || present.has(`${name}${REMOVING}`)) continue;
          expect(verified, `seed ${seed}: ${name} was removed, but the ledger after the kill says ${row?.state}`).toBe(true);
          expect(row!.sha256, `${name}: the recorded checksum`).toBe(sha256(data));
          const remote = await h.object(row!.key!);
          expect(remote && sha256(remote), `seed ${seed}: ${name} was removed, but ${row!.key} does not hold its bytes`).toBe(sha256(data));
        }
        expect(atKill.unfinished().every((r) => atKill.timeline(r.id).at(-1)?.state === r.state), 'every row agrees with its timeline').toBe(true);
      } finally {
        atKill.close();
      }

      const restartFrom = h.proxy.seen.length;
      const second = await runOffload(['watch', '--once', '--config', h.settingsFile], env);
      expect(second.code, `seed ${seed}: restart failed: ${second.stdout}${second.stderr}`).toBe(0);
      const restartWrites = h.proxy.seen.slice(restartFrom).filter((r) => r.method === 'PUT' || r.method === 'POST');

      // Every file once, under its own key, with its bytes; none left aside; nothing verified re-sent.
      expect(await h.keys()).toEqual([...originals.keys()].map((name) => `results/shots/${name}`).sort());
      for (const [name, data] of originals) {
        const remote = await h.object(`results/shots/${name}`);
        expect(remote && sha256(remote), `${name} remote copy`).toBe(sha256(data));
        const local = await readFile(join(h.watchDir, 'shots', name)).catch(() => null);
        expect(local, `${name} is removed locally after the second run`).toBeNull();
      }
      expect((await readdir(join(h.watchDir, 'shots'))).filter((f) => f.endsWith(REMOVING))).toEqual([]);
      expect((await h.s3.send(new ListMultipartUploadsCommand({ Bucket: h.bucket }))).Uploads ?? []).toEqual([]);
      for (const name of verifiedBefore) expect(restartWrites.filter((w) => w.url.includes(name)), `${name} re-uploaded`).toEqual([]);
      const after = Ledger.open(ledgerFile);
      try {
        // `offloaded` when the kill fell between a removal and its (grouped) record: verified either way.
        for (const name of originals.keys()) expect(['offloaded', 'local-removed'], name).toContain(after.latestForPath(join(h.watchDir, 'shots', name))?.state);
      } finally {
        after.close();
      }
    } finally {
      // I1–I4 over what both runs left (every file written is here or verified in the bucket).
      await expectInvariantsThenCleanup(h);
    }
  });
});
