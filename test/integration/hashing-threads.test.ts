/**
 * Hashing in worker threads and small files sent from memory (docs/PERFORMANCE.md), against the lab
 * servers: a file that changes while a thread hashes it, while its parts are sent with the MD5s a thread
 * computed, or while its bytes are sent from memory is still refused (RELIABILITY.md case 5) — the bucket
 * ends with the final bytes only, and the file is removed only after they are verified — and stopping
 * the engine stops a thread in the middle of a big file.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OffloadService } from '../../src/core/service';
import { createHarness, sha256, waitFor, type Harness } from '../support/engine-harness';
import { expectInvariantsThenCleanup } from '../support/invariants';
import { labServers, type LabServer } from '../support/lab-servers';

const MiB = 1024 * 1024;
let lab: LabServer;
let h: Harness;

/** Rewrites `bytes` at `offset` in place through another descriptor, as an editor saving over the file would (size kept, mtime moves). */
function rewriteInPlace(path: string, offset: number, bytes: Buffer): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
}

/** Waits until `rel` is offloaded and its local copy removed; returns its row. */
async function removedAfterOffload(service: OffloadService, path: string) {
  await waitFor(() => service.log.latestForPath(path)?.state === 'local-removed', 60_000, `${path} offloaded and removed`);
  return service.log.latestForPath(path)!;
}

describe.each(labServers)('hashing threads on $name', (server) => {
  beforeAll(async () => {
    lab = await server.start();
  });
  afterAll(async () => lab?.stop());
  afterEach(() => expectInvariantsThenCleanup(h));

  it('refuses a small file rewritten while its bytes are sent from memory: that object is deleted, the final bytes offloaded', async () => {
    h = await createHarness(lab);
    await h.configure({ retention: { rightAway: true } });
    const first = randomBytes(256 * 1024);
    const final = randomBytes(first.length);
    const path = await h.write('shot.png', first);
    // Once the PUT's first byte is on the wire, the file is rewritten (same size): the bytes in memory
    // still match their Content-MD5, so only the change check after the PUT can catch it.
    h.proxy.inject({ method: 'PUT', path: /shot\.png/, times: 1, fault: { type: 'intercept', atRequestBytes: 1, then: () => rewriteInPlace(path, 0, final) } });
    h.written.set(path, sha256(final));
    const service = await h.open();
    await service.start();
    const row = await removedAfterOffload(service, path);
    expect(sha256((await h.object('results/shot.png'))!)).toBe(sha256(final));
    expect(row.sha256).toBe(sha256(final));
    expect(h.proxy.seen.filter((r) => r.method === 'DELETE' && /shot\.png/.test(r.url))).toHaveLength(1); // the first attempt's object
    expect(service.log.timeline(row.id).map((t) => t.state)).toContain('settling');
  });

  it('refuses a multipart file rewritten while its parts are sent with the MD5s a thread computed', async () => {
    h = await createHarness(lab);
    await h.configure({ upload: { multipartThresholdBytes: 5 * MiB, partSizeBytes: 5 * MiB }, retention: { rightAway: true } });
    const first = randomBytes(12 * MiB);
    const final = randomBytes(first.length);
    const path = await h.write('take.mov', first);
    h.proxy.inject({ method: 'PUT', path: /take\.mov\?.*partNumber=1/, times: 1, fault: { type: 'intercept', atRequestBytes: 1, then: () => rewriteInPlace(path, 0, final) } });
    h.written.set(path, sha256(final));
    const service = await h.open();
    await service.start();
    const row = await removedAfterOffload(service, path);
    expect(sha256((await h.object('results/take.mov'))!)).toBe(sha256(final));
    expect(row.sha256).toBe(sha256(final));
    expect(row.attempts).toBeGreaterThanOrEqual(2);
  });

  it('refuses a multipart file rewritten while a thread is hashing it', async () => {
    h = await createHarness(lab);
    await h.configure({ upload: { multipartThresholdBytes: 5 * MiB, partSizeBytes: 8 * MiB }, retention: { rightAway: true } });
    const first = randomBytes(40 * MiB);
    const path = await h.write('render.mov', first);
    const block = randomBytes(MiB);
    const final = Buffer.concat([first.subarray(0, 20 * MiB), block, first.subarray(21 * MiB)]);
    h.written.set(path, sha256(final));
    const service = await h.open();
    // The job turns `uploading` right before the thread starts hashing; hashing 40 MiB takes far longer
    // than the 10 ms before the rewrite.
    let rewritten = false;
    service.events.on('fileChanged', (r) => {
      if (r.path !== path || r.state !== 'uploading' || rewritten) return;
      rewritten = true;
      setTimeout(() => rewriteInPlace(path, 20 * MiB, block), 10);
    });
    await service.start();
    const row = await removedAfterOffload(service, path);
    expect(sha256((await h.object('results/render.mov'))!)).toBe(sha256(final));
    expect(row.sha256).toBe(sha256(final));
    expect(row.attempts).toBeGreaterThanOrEqual(2);
  });

  it('stops hashing a big file at once when the engine stops: nothing sent, the file kept', async () => {
    h = await createHarness(lab);
    // Sparse: hashing 2 GiB takes seconds of CPU here but no disk; it never reaches the server.
    const path = join(h.watchDir, 'huge.mov');
    await writeFile(path, '');
    await truncate(path, 2048 * MiB);
    const service = await h.open();
    await service.start();
    await waitFor(() => service.log.latestForPath(path)?.state === 'uploading', 20_000, 'hashing started');
    await new Promise((r) => setTimeout(r, 100));
    const stopping = Date.now();
    await service.stop();
    expect(Date.now() - stopping).toBeLessThan(2000);
    expect((await stat(path)).size).toBe(2048 * MiB);
    expect(await h.keys()).toEqual([]);
    expect(h.proxy.seen.filter((r) => r.method === 'PUT' || r.method === 'POST')).toEqual([]);
  });
});
