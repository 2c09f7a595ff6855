/**
 * The four invariants of RELIABILITY.md, checked after a test on what it left behind:
 *   I1 nothing lost   — every file the test wrote is still local, or a verified copy of its bytes is in
 *                       the bucket (a test that removes a file itself drops it from `h.written`)
 *   I2 nothing partial — every object the engine wrote holds exactly the bytes its SHA-256 metadata names;
 *                       no multipart upload is left open
 *   I3 state survives — the ledger opens, and every row it calls verified points at an object with its
 *                       checksum (the log never claims a copy that is not there)
 *   I4 secrets secret — the secret, plain or base64, is in no settings file, ledger, or event payload
 */
import { GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Ledger } from '../../src/core/ledger/ledger';
import { verifiedStates } from '../../src/shared/ledger';
import { sha256, type Harness } from './engine-harness';

/** Above this many objects only metadata is checked, not every object's bytes (the 10,000-file burst). */
const BYTE_CHECK_LIMIT = 300;

export async function expectInvariants(h: Harness): Promise<void> {
  await h.stopServices();
  // Every bucket the test used: the harness's, and any storage it added (a move's target).
  const buckets = [{ bucket: h.bucket, s3: h.s3 }, ...h.otherStorages];
  const byBucket = new Map<string, Map<string, { sha256: string | undefined; contentSha256?: string }>>();
  for (const { bucket, s3 } of buckets) byBucket.set(bucket, await objectsIn(s3, bucket));
  const total = [...byBucket.values()].reduce((n, m) => n + m.size, 0);

  // I1
  const remoteDigests = new Set([...byBucket.values()].flatMap((m) => [...m.values()].map((o) => o.sha256)));
  for (const [path, digest] of h.written) {
    if (existsSync(path)) continue;
    expect(remoteDigests.has(digest), `I1: ${path} is gone locally and no object in the bucket holds its bytes`).toBe(true);
  }

  // I2
  for (const { bucket, s3 } of buckets) {
    for (const [key, object] of byBucket.get(bucket)!) {
      if (total <= BYTE_CHECK_LIMIT) {
        const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        object.contentSha256 = sha256(Buffer.from(await body.Body!.transformToByteArray()));
      }
      if (h.testObjects.has(key)) continue; // put there by the test itself, as another tool would
      expect(object.sha256, `I2: ${bucket}/${key} has no checksum metadata: not written whole by the engine`).toMatch(/^[0-9a-f]{64}$/);
      if (object.contentSha256) expect(object.contentSha256, `I2: ${bucket}/${key} does not hold the bytes its checksum names`).toBe(object.sha256);
    }
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? [], `I2: a multipart upload was left open in ${bucket}`).toEqual([]);
  }

  // I3
  const ledgerFile = join(h.root, 'config', 'ledger.sqlite');
  if (existsSync(ledgerFile)) {
    const ledger = Ledger.open(ledgerFile);
    try {
      for (const row of ledger.list()) {
        if (!verifiedStates.has(row.state) || row.providerId === 'local') continue;
        const object = byBucket.get(row.bucket ?? h.bucket)?.get(row.key ?? '');
        // An object another tool put there has no metadata: its bytes must be ours.
        const remote = object && (object.sha256 ?? object.contentSha256);
        expect(remote, `I3: the log says ${row.relPath} is verified at ${row.key}, but the bucket disagrees`).toBe(row.sha256);
      }
    } finally {
      ledger.close();
    }
  }

  // I4
  const needles = [h.secret, Buffer.from(h.secret).toString('base64')];
  const places: [string, string][] = [['events', h.events.join('\n')]];
  for (const file of [h.settingsFile, ledgerFile, `${ledgerFile}-wal`]) if (existsSync(file)) places.push([file, (await readFile(file)).toString('latin1')]);
  for (const [where, text] of places) for (const needle of needles) expect(text.includes(needle), `I4: the secret is in ${where}`).toBe(false);
}

/** Each object in a bucket with the SHA-256 its metadata names (HEAD 16 at a time: the burst test leaves 10,000). */
async function objectsIn(s3: S3Client, bucket: string): Promise<Map<string, { sha256: string | undefined; contentSha256?: string }>> {
  const objects = new Map<string, { sha256: string | undefined; contentSha256?: string }>();
  let token: string | undefined;
  const keys: string[] = [];
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  for (let i = 0; i < keys.length; i += 16) {
    await Promise.all(
      keys.slice(i, i + 16).map(async (key) => {
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        objects.set(key, { sha256: head.Metadata?.sha256 });
      }),
    );
  }
  return objects;
}

/** The suites' afterEach: check the invariants on what the test left, then clean up whatever the outcome. */
export async function expectInvariantsThenCleanup(h: Harness | undefined): Promise<void> {
  if (!h) return;
  try {
    await expectInvariants(h);
  } finally {
    await h.cleanup();
  }
}
