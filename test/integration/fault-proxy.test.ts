/**
 * The fault-injecting proxy in front of the S3 lab: each fault reaches the SDK as the failure it models,
 * and traffic that matches no rule passes through with signatures intact.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { labServers, uniqueBucket, type LabServer } from '../support/lab-servers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { s3ErrorBody, startFaultProxy, type FaultProxy } from '../support/fault-proxy.ts';

let lab: LabServer;
let proxy: FaultProxy;
let direct: S3Client;
const bucket = uniqueBucket('fault');

const viaProxy = (maxAttempts = 1): S3Client => lab.client({ endpoint: proxy.endpoint, maxAttempts });
const exists = async (key: string): Promise<boolean> =>
  direct.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
    () => true,
    () => false,
  );
const failure = async (p: Promise<unknown>): Promise<{ name: string; code?: string }> => {
  try {
    await p;
  } catch (e) {
    return { name: (e as Error).name, code: (e as { code?: string }).code };
  }
  throw new Error('expected the call to fail');
};

afterEach(() => proxy.clear());

describe.each(labServers)('on $name', (server) => {
  beforeAll(async () => {
    lab = await server.start();
    direct = lab.client();
    await lab.createBucket(bucket);
    proxy = await startFaultProxy(lab.endpoint);
  });
  afterAll(async () => {
    await proxy?.stop();
    await proxy?.stop(); // idempotent
    await lab?.stop();
  });

  describe('fault proxy', () => {
    it('passes unmatched requests through with signatures intact', async () => {
      await viaProxy().send(new PutObjectCommand({ Bucket: bucket, Key: 'pass.txt', Body: 'through the proxy' }));
      const res = await viaProxy().send(new GetObjectCommand({ Bucket: bucket, Key: 'pass.txt' }));
      expect(await res.Body!.transformToString()).toBe('through the proxy');
    });

    it('answers with scripted 503 SlowDown, which the SDK retries until it passes', async () => {
      proxy.inject({ method: 'PUT', times: 2, fault: { type: 'respond', status: 503, body: s3ErrorBody('SlowDown', 'Please reduce your request rate.') } });
      await viaProxy(3).send(new PutObjectCommand({ Bucket: bucket, Key: 'throttled.txt', Body: 'eventually' }));
      expect(proxy.seen.filter((r) => r.url.includes('throttled.txt')).map((r) => r.fault)).toEqual(['respond', 'respond', null]);
      expect(await exists('throttled.txt')).toBe(true);
    });

    it('surfaces a scripted error to a client that does not retry', async () => {
      proxy.inject({ method: 'PUT', times: 1, fault: { type: 'respond', status: 503, body: s3ErrorBody('SlowDown', 'Please reduce your request rate.') } });
      expect((await failure(viaProxy().send(new PutObjectCommand({ Bucket: bucket, Key: 'slow.txt', Body: 'x' })))).name).toBe('SlowDown');
      expect(await exists('slow.txt')).toBe(false);
    });

    it('resets the connection', async () => {
      proxy.inject({ path: /reset\.txt/, times: 1, fault: { type: 'reset' } });
      const err = await failure(viaProxy().send(new PutObjectCommand({ Bucket: bucket, Key: 'reset.txt', Body: 'x' })));
      expect(err.code).toBe('ECONNRESET');
      expect(await exists('reset.txt')).toBe(false);
    });

    it('cuts an upload after N bytes and leaves no object behind', async () => {
      proxy.inject({ path: /cut\.bin/, times: 1, fault: { type: 'cut-request', afterBytes: 64 * 1024 } });
      const err = await failure(viaProxy().send(new PutObjectCommand({ Bucket: bucket, Key: 'cut.bin', Body: randomBytes(512 * 1024) })));
      expect(['ECONNRESET', 'EPIPE', 'TimeoutError', 'Error']).toContain(err.code ?? err.name);
      expect(await exists('cut.bin')).toBe(false);
    });

    it('cuts a download mid-body', async () => {
      await direct.send(new PutObjectCommand({ Bucket: bucket, Key: 'download.bin', Body: randomBytes(256 * 1024) }));
      proxy.inject({ method: 'GET', path: /download\.bin/, times: 1, fault: { type: 'cut-response', afterBytes: 1000 } });
      const res = await viaProxy().send(new GetObjectCommand({ Bucket: bucket, Key: 'download.bin' }));
      await expect(res.Body!.transformToByteArray()).rejects.toThrow();
    });

    it('stalls a request until the client gives up, then closes it', async () => {
      // The stall outlasts the client's idle-socket timeout by far: the client, not the proxy, ends it.
      proxy.inject({ path: /stall\.txt/, times: 1, fault: { type: 'stall', ms: 20_000 } });
      const client = lab.client({ endpoint: proxy.endpoint, maxAttempts: 1, requestHandler: { socketTimeout: 500 } });
      const started = Date.now();
      const err = await failure(client.send(new PutObjectCommand({ Bucket: bucket, Key: 'stall.txt', Body: 'x' })));
      expect(err.name).toBe('TimeoutError');
      expect(Date.now() - started).toBeLessThan(10_000);
    });

    it('delays a request and then lets it through', async () => {
      proxy.inject({ path: /delayed\.txt/, times: 1, fault: { type: 'delay', ms: 300 } });
      const started = Date.now();
      await viaProxy().send(new PutObjectCommand({ Bucket: bucket, Key: 'delayed.txt', Body: 'late' }));
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(await exists('delayed.txt')).toBe(true);
    });
  });
});
