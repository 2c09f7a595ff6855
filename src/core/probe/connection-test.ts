/**
 * The connection test (PRODUCT.md §3), through the provider session the engine uses (same endpoint,
 * credentials, addressing and checksum mode) against the configured bucket and prefix: write a tiny probe
 * object with one PutObject carrying Content-MD5 — as a single-PUT upload does; the multipart path is not
 * exercised — read it back and compare, fetch it through the public / CDN URL when one is set, then
 * delete it. Needs no bucket-level permission (no create, no list). Also learns whether the provider
 * honours `If-None-Match: *`.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ProbeIssue, ProbeResult } from '../../shared/probe';
import { buildKey, publicUrlFor } from '../offload/object-key';
import type { ResolvedProvider } from '../providers/resolve-provider';
import type { S3ObjectStore } from '../storage/s3-object-store';
import { explainProbeError, type ProbeContext } from './explain-error';

export interface ProbeTarget {
  provider: ResolvedProvider;
  /** The session's store, whose client sends each request once (the test reports every failure). */
  store: Pick<S3ObjectStore, 'putBytes' | 'getBytes' | 'delete'>;
  /** fetch for the public URL step; injectable for tests. */
  fetchUrl?: (url: string) => Promise<{ status: number; body: Buffer }>;
}

const defaultFetch = async (url: string): Promise<{ status: number; body: Buffer }> => {
  const res = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(15_000) });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
};

function hostOf(p: ResolvedProvider): string {
  if (p.endpoint) return new URL(p.endpoint).host;
  return `s3.${p.region}.amazonaws.com`;
}

export async function runConnectionTest({ provider, store, fetchUrl = defaultFetch }: ProbeTarget): Promise<ProbeResult> {
  const ctx: ProbeContext = { bucket: provider.bucket, prefix: provider.settings.keyPrefix, host: hostOf(provider), region: provider.region, providerId: provider.settings.id };
  const key = buildKey({ prefix: provider.settings.keyPrefix, relPath: `offload-companion-probe-${randomUUID()}.txt`, sha256: '', mtimeMs: Date.now() });
  const body = Buffer.from(`Offload Companion connection test ${new Date().toISOString()}\n`);
  const contentMd5 = createHash('md5').update(body).digest('base64');
  const warnings: ProbeIssue[] = [];
  const learned: ProbeResult['learned'] = { conditionalWrites: null, writeOnly: false };
  const result = (failure: ProbeIssue | null, probeKey: string | null): ProbeResult => ({ providerId: ctx.providerId, ok: failure === null, failure, warnings, probeKey, learned });
  const put = (ifNoneMatch: boolean) => store.putBytes(key, body, { contentMd5, contentType: 'text/plain; charset=utf-8', ifNoneMatch });

  // 1. Write, the way uploads write.
  try {
    await put(false);
  } catch (error) {
    return result(explainProbeError('write', error, ctx), null);
  }

  // What the engine should rely on: a second create-only write of the same key must be refused.
  try {
    await put(true);
    learned.conditionalWrites = false;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    learned.conditionalWrites = status === 412 ? true : status === 501 || status === 400 ? false : null;
  }

  // 2. Read back and compare bytes.
  try {
    const read = await store.getBytes(key);
    if (!read.equals(body)) {
      return result({ step: 'read', code: 'read-mismatch', message: 'The object read back differs from what was written', fix: 'Something between here and the bucket altered the body: try checksum mode WHEN_REQUIRED, or another endpoint.' }, key);
    }
  } catch (error) {
    const issue = explainProbeError('read', error, ctx);
    if (issue.code !== 'write-only') return result(issue, key);
    learned.writeOnly = true;
    warnings.push(issue);
  }

  // 3. The public / CDN link, when one is set.
  if (provider.settings.publicUrl) {
    const url = publicUrlFor(provider.settings.publicUrl, key);
    const fetched = await fetchUrl(url).catch((error: unknown) => ({ status: 0, body: Buffer.from(String((error as Error).message)) }));
    if (fetched.status !== 200 || !fetched.body.equals(body)) {
      const why = fetched.status === 0 ? fetched.body.toString() : fetched.status === 200 ? 'served different content' : `HTTP ${fetched.status}`;
      warnings.push({ step: 'public-url', code: 'public-url', message: `Links will be broken: bucket not public or CDN URL wrong (${why} from ${url})`, fix: 'Make the bucket or prefix publicly readable, or correct the public / CDN base URL.' });
    }
  }

  // 4. Clean up; a key without delete rights still offloads.
  try {
    await store.delete(key);
  } catch (error) {
    const issue = explainProbeError('delete', error, ctx);
    warnings.push(issue.code === 'delete-denied' ? { ...issue, message: `Offload works; the probe object is left at ${key}` } : issue);
  }
  return result(null, key);
}
