/**
 * Network faults between the engine and the bucket (RELIABILITY.md cases 11 and 12), injected by the
 * fault proxy: uploads recover with backoff, a long outage is one offline state rather than a storm of
 * failures, and nothing partial is ever left in the bucket.
 */
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, sha256, waitFor, type Harness } from '../support/engine-harness';
import { s3ErrorBody, type Fault } from '../support/fault-proxy';
import { expectInvariantsThenCleanup } from '../support/invariants';
import { labServers, type LabServer } from '../support/lab-servers';

let lab: LabServer;
let h: Harness;
const MiB = 1024 * 1024;
const slowDown: Fault = { type: 'respond', status: 503, body: s3ErrorBody('SlowDown', 'Please reduce your request rate.') };
const internal: Fault = { type: 'respond', status: 500, body: s3ErrorBody('InternalError', 'We encountered an internal error.') };

/** Offloads the files with the faults injected; checks every object is whole and nothing is left over. */
async function offloadThrough(faults: Parameters<Harness['proxy']['inject']>[0][], files: Record<string, Buffer>): Promise<void> {
  for (const [name, data] of Object.entries(files)) await h.write(name, data);
  faults.forEach((f) => h.proxy.inject(f));
  const service = await h.open();
  const { ok, files: rows } = await service.runOnce();
  expect(rows.filter((r) => r.state !== 'offloaded').map((r) => `${r.relPath}: ${r.state} ${r.lastError}`)).toEqual([]);
  expect(ok).toBe(true);
  expect(await h.keys()).toEqual(Object.keys(files).map((n) => `results/${n}`).sort());
  for (const [name, data] of Object.entries(files)) expect(sha256((await h.object(`results/${name}`))!), name).toBe(sha256(data));
  expect((await h.s3.send(new ListMultipartUploadsCommand({ Bucket: h.bucket }))).Uploads ?? []).toEqual([]);
}

describe.each(labServers)('network faults on $name', (server) => {
  beforeAll(async () => {
    lab = await server.start();
  });
  afterAll(async () => lab?.stop());
  // Every case ends with RELIABILITY.md's invariants I1–I4 checked on what it left behind.
  afterEach(() => expectInvariantsThenCleanup(h));

  it('rides out a burst of 503 SlowDown without a user-facing error or spent attempts', async () => {
    h = await createHarness(lab);
    // More throttled answers than the attempt budget (3): throttling backs off without spending it.
    await offloadThrough([{ method: 'PUT', times: 8, fault: slowDown }], { 'a.png': randomBytes(50_000), 'b.png': randomBytes(50_000) });
  });

  it('retries parts answered with 500', async () => {
    h = await createHarness(lab);
    await offloadThrough([{ method: 'PUT', path: /partNumber=/, times: 3, fault: internal }], { 'big.mov': randomBytes(20 * MiB) });
  });

  it('recovers from connection resets (within the attempt budget: 3 here)', async () => {
    h = await createHarness(lab);
    await offloadThrough([{ method: 'PUT', times: 2, fault: { type: 'reset' } }], { 'reset.png': randomBytes(100_000) });
  });

  it('recovers from an upload cut after N bytes, leaving nothing partial', async () => {
    h = await createHarness(lab);
    await offloadThrough([{ method: 'PUT', times: 2, fault: { type: 'cut-request', afterBytes: 30_000 } }], { 'cut.png': randomBytes(200_000) });
  });

  it('gives up on a stalled connection and retries it', async () => {
    h = await createHarness(lab);
    await h.configure({ upload: { stallTimeoutMs: 500 } });
    // The server never answers the first PUT (the proxy would hold it 30 s): the engine's stall timeout
    // must end it and retry, long before that. Before, the timeout given to the SDK only logged a warning.
    const started = Date.now();
    await offloadThrough([{ method: 'PUT', times: 1, fault: { type: 'stall', ms: 30_000 } }], { 'stall.png': randomBytes(10_000) });
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('retries when CompleteMultipartUpload answers 200 with an error in the body', async () => {
    h = await createHarness(lab);
    await offloadThrough(
      [{ method: 'POST', path: /uploadId=/, times: 1, fault: { type: 'respond', status: 200, body: s3ErrorBody('InternalError', 'We encountered an internal error. Please try again.') } }],
      { 'complete.mov': randomBytes(20 * MiB) },
    );
  });

  it('shows a long outage as one offline state, spends no attempts, and resumes when the bucket is back', async () => {
    h = await createHarness(lab);
    await h.configure({ upload: { retryBaseMs: 200, maxAttempts: 2 } });
    const service = await h.open();
    const notices: string[] = [];
    service.events.on('notice', (n) => notices.push(`${n.level} ${n.code}`));
    await service.start();
    await h.proxy.offline();
    for (let i = 0; i < 4; i++) await h.write(`shot-${i}.png`, randomBytes(20_000));
    await waitFor(() => service.status().engine?.offline === true, 10_000, 'offline state');
    await new Promise((r) => setTimeout(r, 2_500)); // several probe rounds, far beyond maxAttempts
    const rows = service.log.list();
    expect(rows.filter((r) => r.state === 'failed')).toEqual([]);
    expect(rows.every((r) => r.attempts <= 1)).toBe(true);
    expect(notices).toEqual(['warning offline']);
    await h.proxy.online();
    await waitFor(() => service.log.list().filter((r) => r.state === 'offloaded').length === 4, 30_000, 'all offloaded after the outage');
    expect(service.status().engine?.offline).toBe(false);
    expect(notices).toEqual(['warning offline', 'info online']);
  });
});
