/**
 * A multipart upload that fails part-way continues from the parts the server already holds, instead of
 * starting over; when the server no longer has the upload, it starts over cleanly.
 */
import { AbortMultipartUploadCommand, CreateMultipartUploadCommand, ListMultipartUploadsCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/core/ledger/ledger';
import { createHarness, sha256, waitFor, type Harness } from '../support/engine-harness';
import { expectInvariantsThenCleanup } from '../support/invariants';
import { labServers, type LabServer } from '../support/lab-servers';
import { s3ErrorBody } from '../support/fault-proxy';

let lab: LabServer;
let h: Harness;
const MiB = 1024 * 1024;

const partPuts = (h: Harness, part: number) => h.proxy.seen.filter((r) => r.method === 'PUT' && r.url.includes(`partNumber=${part}&`));

describe.each(labServers)('resumable multipart on $name', (server) => {
  beforeAll(async () => {
    lab = await server.start();
  });
  afterAll(async () => lab?.stop());
  // Every case ends with RELIABILITY.md's invariants I1–I4 checked on what it left behind.
  afterEach(() => expectInvariantsThenCleanup(h));

  it('re-sends only the part that failed', async () => {
    h = await createHarness(lab);
    const data = randomBytes(40 * MiB);
    const path = await h.write('long/take.mov', data);
    // Part 3 fails on every try of the first attempt (the store tries a part 3 times).
    h.proxy.inject({ method: 'PUT', path: /partNumber=3&/, times: 3, fault: { type: 'cut-request', afterBytes: 1024 * 1024 } });
    const service = await h.open();
    expect((await service.runOnce()).ok).toBe(true);
    expect(sha256((await h.object('results/long/take.mov'))!)).toBe(sha256(data));
    for (const part of [1, 2, 4, 5]) expect(partPuts(h, part), `part ${part}`).toHaveLength(1);
    expect(partPuts(h, 3)).toHaveLength(4);
    expect(h.proxy.seen.filter((r) => r.method === 'GET' && r.url.includes('uploadId='))).toHaveLength(1); // ListParts once
    expect(h.proxy.seen.filter((r) => r.method === 'POST' && r.url.includes('uploads'))).toHaveLength(1); // one upload created
    expect(service.log.latestForPath(path)).toMatchObject({ state: 'offloaded', attempts: 2 });
    expect((await h.s3.send(new ListMultipartUploadsCommand({ Bucket: h.bucket }))).Uploads ?? []).toEqual([]);
  });

  it('starts over when listing the parts of an unfinished upload keeps failing with a 5xx', async () => {
    h = await createHarness(lab);
    const data = randomBytes(24 * MiB);
    const path = await h.write('flaky/take.mov', data);
    h.proxy.inject({ method: 'PUT', path: /partNumber=2&/, times: 3, fault: { type: 'cut-request', afterBytes: 1024 } });
    // Every ListParts answers 500: the client's own retries do not help.
    h.proxy.inject({ method: 'GET', path: /uploadId=/, times: 50, fault: { type: 'respond', status: 500, body: s3ErrorBody('InternalError', 'We encountered an internal error.') } });
    const service = await h.open();
    expect((await service.runOnce()).ok).toBe(true);
    expect(sha256((await h.object('results/flaky/take.mov'))!)).toBe(sha256(data));
    const created = h.proxy.seen.filter((r) => r.method === 'POST' && /[?&]uploads/.test(r.url));
    expect(created).toHaveLength(2);
    expect(h.proxy.seen.filter((r) => r.method === 'DELETE' && r.url.includes('uploadId='))).toHaveLength(1); // the first upload, aborted
    expect(service.log.latestForPath(path)).toMatchObject({ state: 'offloaded', attempts: 2 });
  });

  it('starts over cleanly when the server no longer has the upload', async () => {
    h = await createHarness(lab);
    await h.configure({ upload: { retryBaseMs: 1_500 } });
    const data = randomBytes(24 * MiB);
    const path = await h.write('gone/take.mov', data);
    h.proxy.inject({ method: 'PUT', path: /partNumber=2&/, times: 3, fault: { type: 'cut-request', afterBytes: 1024 } });
    const service = await h.open();
    await service.start();
    await waitFor(() => service.log.latestForPath(path)?.state === 'queued' && service.log.latestForPath(path)?.attempts === 1, 20_000, 'first attempt failed');
    // The upload id is the engine's own record, not part of the log's rows: read it from the ledger file.
    const ledger = Ledger.open(join(h.root, 'config', 'ledger.sqlite'));
    const pending = ledger.multipartOf(service.log.latestForPath(path)!.id)!;
    ledger.close();
    expect(pending.key).toBe('results/gone/take.mov');
    await h.s3.send(new AbortMultipartUploadCommand({ Bucket: h.bucket, Key: pending.key, UploadId: pending.uploadId }));
    await waitFor(() => service.log.latestForPath(path)?.state === 'offloaded', 20_000, 'offloaded after starting over');
    expect(sha256((await h.object('results/gone/take.mov'))!)).toBe(sha256(data));
    expect(h.proxy.seen.filter((r) => r.method === 'POST' && r.url.includes('uploads'))).toHaveLength(2);
    expect((await h.s3.send(new ListMultipartUploadsCommand({ Bucket: h.bucket }))).Uploads ?? []).toEqual([]);
  });

  it('aborts uploads of the key that nobody recorded (a crash before the answer), then uploads cleanly', async () => {
    h = await createHarness(lab);
    const data = randomBytes(20 * MiB);
    await h.write('lost/answer.mov', data);
    const key = 'results/lost/answer.mov';
    const orphans = await Promise.all([1, 2].map(() => h.s3.send(new CreateMultipartUploadCommand({ Bucket: h.bucket, Key: key }))));
    const part1 = data.subarray(0, 8 * MiB);
    await h.s3.send(new UploadPartCommand({ Bucket: h.bucket, Key: key, UploadId: orphans[0]!.UploadId, PartNumber: 1, Body: part1, ContentMD5: createHash('md5').update(part1).digest('base64') }));
    const service = await h.open();
    expect((await service.runOnce()).ok).toBe(true);
    expect(sha256((await h.object(key))!)).toBe(sha256(data));
    expect(await h.keys()).toEqual([key]);
    for (const orphan of orphans) expect(h.proxy.seen.filter((r) => r.method === 'DELETE' && r.url.includes(`uploadId=${orphan.UploadId}`))).toHaveLength(1);
    expect(h.proxy.seen.filter((r) => r.method === 'POST' && r.url.includes('uploads='))).toHaveLength(1);
    expect(service.log.latestForPath(`${h.watchDir}/lost/answer.mov`)).toMatchObject({ state: 'offloaded', attempts: 1 });
    expect((await h.s3.send(new ListMultipartUploadsCommand({ Bucket: h.bucket }))).Uploads ?? []).toEqual([]);
  });
});
