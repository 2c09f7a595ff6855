/**
 * A real file above 5 GiB through the whole pipeline (issue #5): a sparse 5 GiB + 3 MiB file is hashed,
 * sent as a multipart upload (S3's single PUT stops at 5 GiB), verified and recorded — with memory that
 * does not follow the file size. Against s3rver, which keeps objects on disk (the RGW in the test tiers
 * holds 1 GiB in memory). Long: about two minutes here.
 */
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/core/ledger/ledger';
import { createHarness, headObject, type Harness } from '../support/engine-harness';
import { labServers, type LabServer } from '../support/lab-servers';
import { runOffload } from '../support/run-offload';

const SIZE = 5 * 1024 ** 3 + 3 * 1024 ** 2;
const s3rver = labServers.find((s) => s.name === 's3rver')!;

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

describe('a file above 5 GiB', () => {
  let lab: LabServer;
  let h: Harness;
  beforeAll(async () => {
    lab = await s3rver.start();
    h = await createHarness(lab);
    await h.configure({ upload: { settleMs: 200, stallTimeoutMs: 120_000 } });
  });
  afterAll(async () => {
    await h?.cleanup();
    await lab?.stop();
  });

  it('is offloaded in parts, verified, recorded, with flat memory', async () => {
    const path = join(h.watchDir, 'takes', 'master.mov');
    await mkdir(join(h.watchDir, 'takes'));
    const file = await open(path, 'w');
    // Sparse: a few real bytes at both ends and in the middle, holes elsewhere (no 5 GiB of disk needed).
    await file.write(Buffer.from('start of the take'), 0, undefined, 0);
    await file.write(Buffer.from('middle'), 0, undefined, Math.floor(SIZE / 2));
    await file.write(Buffer.from('end'), 0, undefined, SIZE - 3);
    await file.close();
    const digest = await sha256OfFile(path);

    const run = await runOffload(['watch', '--once', '--config', h.settingsFile], {
      OFFLOAD_STUDIO_BUCKET_ACCESS_KEY_ID: lab.users.main.accessKeyId,
      OFFLOAD_STUDIO_BUCKET_SECRET_ACCESS_KEY: lab.users.main.secretAccessKey,
    });
    console.log(`over 5 GiB: ${run.seconds.toFixed(0)} s, peak RSS ${Math.round(run.peakRssBytes / 1048576)} MiB`);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);

    const remote = await headObject(h, 'results/takes/master.mov');
    expect(remote?.size).toBe(SIZE);
    expect(remote?.metadata.sha256).toBe(digest);
    const multipartWrites = h.writes().filter((w) => /[?&]partNumber=/.test(w.url));
    expect(multipartWrites.length).toBe(Math.ceil(SIZE / (8 * 1024 * 1024)));
    expect((await h.s3.send(new ListMultipartUploadsCommand({ Bucket: h.bucket }))).Uploads ?? []).toEqual([]);
    const ledger = Ledger.open(join(h.root, 'config', 'ledger.sqlite'));
    expect(ledger.list({ search: 'master.mov' }).map((r) => [r.state, r.size, r.sha256])).toEqual([['offloaded', SIZE, digest]]);
    ledger.close();
    expect(run.peakRssBytes).toBeLessThan(300 * 1024 * 1024);
  }, 15 * 60_000);
});
