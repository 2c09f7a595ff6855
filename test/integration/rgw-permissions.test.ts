/**
 * Permission cases only a server with real principals and bucket policies can produce (Ceph RGW):
 * each is a test that fails if the product misreports it. s3rver's front knows users, not rights.
 */
import { PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { access } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, secretsFor, type Harness } from '../support/engine-harness';
import { labServers, type LabServer } from '../support/lab-servers';

let lab: LabServer;
let h: Harness;
const rgw = labServers.find((s) => s.name === 'ceph-rgw')!;

beforeAll(async () => {
  lab = await rgw.start();
});
afterAll(async () => lab?.stop());
afterEach(async () => h?.cleanup());

const denyGetTo = async (bucket: string, user: string): Promise<void> => {
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Principal: { AWS: [`arn:aws:iam:::user/${user}`] }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }],
  };
  await lab.client().send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
};

describe('on ceph-rgw: keys and policies with partial rights', () => {
  it('reports a write-only key (an RGW subuser with --access=write) as write-only, not as a failure', async () => {
    h = await createHarness(lab);
    const service = await h.open(secretsFor(lab.users.writer!));
    const result = await service.providers.test();
    expect(result).toMatchObject({ ok: true, failure: null, learned: { writeOnly: true } });
    expect(result.warnings.map((w) => [w.step, w.code])).toEqual([['read', 'write-only']]);
  });

  it('reports read-back denied when a bucket policy denies GET', async () => {
    h = await createHarness(lab);
    await denyGetTo(h.bucket, 'main');
    const result = await (await h.open()).providers.test();
    expect(result.ok).toBe(true);
    expect(result.warnings[0]).toMatchObject({ step: 'read', code: 'write-only', message: 'Upload succeeded but the object could not be read back: this key is write-only' });
  });

  it('keeps the file local, and says why, when uploads cannot be verified because GET is denied', async () => {
    h = await createHarness(lab);
    await denyGetTo(h.bucket, 'main');
    await h.configure({ retention: { rightAway: true } });
    const path = await h.write('unverifiable.png', 'cannot be checked');
    const service = await h.open();
    expect((await service.runOnce()).ok).toBe(false);
    expect(service.log.latestForPath(path)).toMatchObject({ state: 'failed', errorCode: 'AccessDenied' });
    expect(service.log.latestForPath(path)?.lastError).toMatch(/^The key is not allowed to do this on the bucket\/prefix \(AccessDenied\) \(while verifying the upload\)$/);
    await expect(access(path)).resolves.toBeUndefined();
  });

  it("names write-denied for a user with no rights on another user's bucket", async () => {
    h = await createHarness(lab);
    const result = await (await h.open(secretsFor(lab.users.other))).providers.test();
    expect(result.failure).toMatchObject({ step: 'write', code: 'write-denied', message: 'The key may not write to this bucket/prefix' });
  });
});
