/**
 * The write as the conflict check (issue #16 "Fewer requests per small file"; write-plan.ts
 * createOnlyFirst): once the connection test has seen the provider refuse a second create-only write,
 * a file sent in one PUT is written with `If-None-Match: *` without a HEAD first. A taken key answers
 * 412, and the engine then decides exactly as it does after a look: identical counts as offloaded,
 * skip / overwrite / keep-both as the policy says, keep-both with the same key names. The verifying HEAD
 * after the write stays, and so does the look first where the fact is only the catalog's expectation,
 * for multipart files, and for a file an earlier attempt already planned a key for. Every case ends with RELIABILITY.md's invariants I1–I4.
 */
import { randomBytes } from 'node:crypto';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OffloadService } from '../../src/core/service';
import { createHarness, sha256, type Harness } from '../support/engine-harness';
import { s3ErrorBody } from '../support/fault-proxy';
import { expectInvariantsThenCleanup } from '../support/invariants';
import { labServers, type LabServer } from '../support/lab-servers';

let lab: LabServer;
let h: Harness;

afterEach(() => expectInvariantsThenCleanup(h));

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

/** The requests the engine sent for one key (the connection test's probe object is not counted), as "METHOD" or "PUT if-none-match". */
const requestsFor = (key: string): string[] =>
  h.proxy.seen
    .filter((r) => decodeURIComponent(r.url.split('?')[0]!).endsWith(`/${key}`))
    .map((r) => (r.method === 'PUT' && r.headers['if-none-match'] === '*' ? 'PUT if-none-match' : r.method));

/** A service whose provider's create-only writes were observed by the connection test, as the app's first run does. */
async function openObserved(): Promise<OffloadService> {
  const service = await h.open();
  expect((await service.providers.test()).learned.conditionalWrites).toBe(true);
  return service;
}

describe.each(labServers)('on $name', (server) => {
  beforeAll(async () => {
    lab = await server.start();
  });
  afterAll(async () => lab?.stop());

  it('writes a new small file with one create-only PUT, no look first, then verifies it', async () => {
    h = await createHarness(lab);
    const data = randomBytes(30_000);
    const path = await h.write('shots/new.png', data);
    const service = await openObserved();
    expect((await service.runOnce()).ok).toBe(true);
    expect(requestsFor('results/shots/new.png')).toEqual(['PUT if-none-match', 'HEAD']);
    expect(service.log.latestForPath(path)).toMatchObject({ state: 'offloaded', key: 'results/shots/new.png', sha256: sha256(data) });
  });

  it('counts an identical object already at the key as offloaded after the refused write, and changes nothing', async () => {
    h = await createHarness(lab);
    await h.putRemote('results/same.png', 'identical bytes');
    const path = await h.write('same.png', 'identical bytes');
    const service = await openObserved();
    expect((await service.runOnce()).ok).toBe(true);
    expect(requestsFor('results/same.png')).toEqual(['PUT if-none-match', 'HEAD', 'HEAD']);
    expect(service.log.latestForPath(path)).toMatchObject({ state: 'offloaded', key: 'results/same.png' });
    expect(await h.keys()).toEqual(['results/same.png']);
  });

  it('keep-both: names the copy as a look first would (name-1, then name-2), leaving the others untouched', async () => {
    h = await createHarness(lab);
    await h.putRemote('results/frame.png', 'someone else');
    await h.putRemote('results/frame-1.png', 'someone else again');
    const local = randomBytes(10_000);
    const path = await h.write('frame.png', local);
    const service = await openObserved();
    expect((await service.runOnce()).ok).toBe(true);
    expect((await h.object('results/frame.png'))!.toString()).toBe('someone else');
    expect((await h.object('results/frame-1.png'))!.toString()).toBe('someone else again');
    expect(sha256((await h.object('results/frame-2.png'))!)).toBe(sha256(local));
    expect(service.log.latestForPath(path)).toMatchObject({ state: 'offloaded', key: 'results/frame-2.png' });
    expect(requestsFor('results/frame.png')).toEqual(['PUT if-none-match', 'HEAD']);
    expect(requestsFor('results/frame-2.png')).toEqual(['HEAD', 'PUT if-none-match', 'HEAD']);
  });

  it('skip: records a conflict, keeps the local file, and changes nothing remotely', async () => {
    h = await createHarness(lab);
    await h.configure({ upload: { conflictPolicy: 'skip' } });
    await h.putRemote('results/frame.png', 'someone else');
    const path = await h.write('frame.png', 'mine');
    const service = await openObserved();
    expect((await service.runOnce()).ok).toBe(false);
    expect(service.log.latestForPath(path)).toMatchObject({ state: 'conflict', errorCode: 'conflict' });
    expect((await h.object('results/frame.png'))!.toString()).toBe('someone else');
    expect(await h.keys()).toEqual(['results/frame.png']);
    expect(await exists(path)).toBe(true);
  });

  it('overwrite: replaces the existing object only after the refused write and a look', async () => {
    h = await createHarness(lab);
    await h.configure({ upload: { conflictPolicy: 'overwrite' } });
    await h.putRemote('results/frame.png', 'someone else');
    const path = await h.write('frame.png', 'mine');
    const service = await openObserved();
    expect((await service.runOnce()).ok).toBe(true);
    expect((await h.object('results/frame.png'))!.toString()).toBe('mine');
    expect(requestsFor('results/frame.png')).toEqual(['PUT if-none-match', 'HEAD', 'PUT', 'HEAD']);
    expect(service.log.latestForPath(path)).toMatchObject({ state: 'offloaded', key: 'results/frame.png' });
  });

  it('removes the local copy only after the verifying HEAD and the removal re-check', async () => {
    h = await createHarness(lab);
    await h.configure({ retention: { rightAway: true } });
    const data = randomBytes(20_000);
    const path = await h.write('done.png', data);
    const service = await openObserved();
    expect((await service.runOnce()).ok).toBe(true);
    expect(await exists(path)).toBe(false);
    expect(requestsFor('results/done.png')).toEqual(['PUT if-none-match', 'HEAD', 'HEAD']);
    expect(service.log.latestForPath(path)).toMatchObject({ state: 'local-removed' });
  });

  it('looks first when an earlier attempt planned the key (it may have written it), so nothing is sent twice', async () => {
    h = await createHarness(lab);
    await h.configure({ upload: { maxAttempts: 1 } });
    h.proxy.inject({ method: 'PUT', path: /retried\.png/, times: 100, fault: { type: 'respond', status: 500, body: s3ErrorBody('InternalError', 'We encountered an internal error.') } });
    const path = await h.write('retried.png', randomBytes(5_000));
    const service = await openObserved();
    expect((await service.runOnce()).ok).toBe(false);
    expect(service.log.latestForPath(path)).toMatchObject({ state: 'failed', key: 'results/retried.png' });
    expect(new Set(requestsFor('results/retried.png'))).toEqual(new Set(['PUT if-none-match']));
    h.proxy.clear();
    const before = requestsFor('results/retried.png').length;
    expect((await service.runOnce()).ok).toBe(true);
    expect(requestsFor('results/retried.png').slice(before)).toEqual(['HEAD', 'PUT if-none-match', 'HEAD']);
    expect(service.log.latestForPath(path)).toMatchObject({ state: 'offloaded' });
  });

  it('still looks first for a multipart file, and where create-only writes are only expected, not observed', async () => {
    h = await createHarness(lab);
    const MiB = 1024 * 1024;
    await h.configure({ upload: { multipartThresholdBytes: 5 * MiB, partSizeBytes: 5 * MiB } });
    await h.write('take.mov', randomBytes(6 * MiB));
    await h.write('still.png', 'small, on a provider not tested');
    const unobserved = await h.open();
    expect((await unobserved.runOnce()).ok).toBe(true);
    expect(requestsFor('results/still.png')).toEqual(['HEAD', 'PUT if-none-match', 'HEAD']);
    await unobserved.close();
    await h.write('take-2.mov', randomBytes(6 * MiB));
    const service = await openObserved();
    expect((await service.runOnce()).ok).toBe(true);
    expect(requestsFor('results/take-2.mov')[0]).toBe('HEAD');
    expect(service.log.latestForPath(join(h.watchDir, 'take-2.mov'))).toMatchObject({ state: 'offloaded' });
  });
});
