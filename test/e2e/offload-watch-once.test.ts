/**
 * `offload watch --once` through the built command: a folder of 200 small files and two 100 MB files is
 * offloaded, every object verified, with memory that does not grow with file size.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectInvariants } from '../support/invariants';
import { labServers, type LabServer } from '../support/lab-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/core/ledger/ledger';
import { createHarness, headObject, sha256, type Harness } from '../support/engine-harness';
import { runOffload } from '../support/run-offload';

let lab: LabServer;
let h: Harness;
const credentials = () => ({
  OFFLOAD_STUDIO_BUCKET_ACCESS_KEY_ID: lab.users.main.accessKeyId,
  OFFLOAD_STUDIO_BUCKET_SECRET_ACCESS_KEY: lab.users.main.secretAccessKey,
});


describe.each(labServers)('on $name', (server) => {
  beforeAll(async () => {
    lab = await server.start();
  });
  afterAll(async () => {
    await h?.cleanup();
    await lab?.stop();
  });

  describe('offload watch --once', () => {
    it('offloads 200 small files and two 100 MB files, verified, with flat memory', async () => {
      h = await createHarness(lab);
      await h.configure({ upload: { settleMs: 200 } });
      const small = new Map<string, string>();
      for (let i = 0; i < 200; i++) {
        const data = randomBytes(4_000 + i);
        small.set(`stills/${String(i).padStart(3, '0')}.png`, sha256(data));
        await h.write(`stills/${String(i).padStart(3, '0')}.png`, data);
      }
      const big = new Map<string, string>();
      for (const name of ['takes/a.mp4', 'takes/b.mp4']) {
        const data = randomBytes(100 * 1024 * 1024);
        big.set(name, sha256(data));
        await h.write(name, data);
      }

      const run = await runOffload(['watch', '--once', '--config', h.settingsFile], credentials());
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout.trim().split('\n').at(-1)).toBe('202 of 202 files offloaded');

      for (const [rel, digest] of [...small, ...big]) {
        expect((await headObject(h, `results/${rel}`))?.metadata.sha256, rel).toBe(digest);
      }
      for (const [rel, digest] of big) expect(sha256((await h.object(`results/${rel}`))!)).toBe(digest);
      const ledger = Ledger.open(join(h.root, 'config', 'ledger.sqlite'));
      expect(ledger.counts()).toEqual({ total: 202, byState: { offloaded: 202 } });
      ledger.close();
      await expectInvariants(h);

      // Flat memory: streaming keeps the peak near the ~120 MiB baseline; buffering even one 100 MiB file
      // on top of it would cross 250 MiB. The size sweep lives in bench/memory-flat.bench.ts.
      console.log(`offload watch --once peak RSS: ${(run.peakRssBytes / 1024 / 1024).toFixed(0)} MiB`);
      expect(run.peakRssBytes).toBeGreaterThan(0);
      expect(run.peakRssBytes).toBeLessThan(250 * 1024 * 1024);
    });

    it('exits 2 and names the field for a bad settings file, touching nothing', async () => {
      h ??= await createHarness(lab);
      const bad = join(h.root, 'bad.json');
      await writeFile(bad, JSON.stringify({ activeStorage: 'nowhere', providers: [{ id: 'x', type: 'minio', bucket: 'b', endpoint: 'not a url' }] }));
      const run = await runOffload(['watch', '--once', '--config', bad]);
      expect(run.code).toBe(2);
      const [what, fix, ...rest] = run.stderr.trim().split('\n');
      expect(what).toBe(`offload: ${bad}: providers[0].endpoint: must be an http(s) URL (settings-invalid)`);
      expect(fix).toMatch(/^ {2}fix: Correct providers\[0\]\.endpoint in /);
      expect(rest).toEqual([]);
      await expectInvariants(h);
    });

    it('exits 2 for a settings file that is not JSON, and keeps a copy of it', async () => {
      h ??= await createHarness(lab);
      const broken = join(h.root, 'broken.json');
      await writeFile(broken, '{ "watchFolders": [');
      const run = await runOffload(['status', '--config', broken]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/not valid JSON .* A copy was kept at .*broken\.json\.corrupt-/);
      await expectInvariants(h);
    });
  });
});
