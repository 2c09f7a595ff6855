/**
 * The stall timeout (upload.stallTimeoutMs, s3-client.ts) against the real SDK and a loopback server: a
 * request the server never answers fails once the socket has been idle that long, so the job retries it
 * instead of holding the file in `uploading` for ever; a slow answer whose bytes keep coming is not cut,
 * however long it takes in all. Each wait is bounded by a race, so a regression fails instead of hanging.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { s3ClientConfig } from '../../src/core/storage/s3-client';

// Well above the gaps of the slow answer (150 ms), so a busy test machine cannot turn them into a stall.
const STALL_MS = 1_500;
let server: Server;
let endpoint: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    // Silent: the request is read and never answered (what RGW once did to a CreateMultipartUpload).
    if (req.url?.includes('silent')) return;
    // Slow: answered at once, its body sent in pieces 150 ms apart, 3.6 s in all (2.4× the stall timeout).
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '24' });
    let sent = 0;
    const tick = setInterval(() => {
      res.write('x');
      if (++sent === 24) {
        clearInterval(tick);
        res.end();
      }
    }, 150);
    res.on('close', () => clearInterval(tick));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
});

const client = (): S3Client =>
  new S3Client(s3ClientConfig({ region: 'us-east-1', endpoint, forcePathStyle: true, checksumMode: 'WHEN_REQUIRED', credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' }, stallTimeoutMs: STALL_MS, maxAttempts: 1 }));

/** The promise's outcome, or 'still waiting' after `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<{ value: T } | { error: Error } | 'still waiting'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still waiting'>((done) => (timer = setTimeout(() => done('still waiting'), ms)));
  const settled = promise.then(
    (value) => ({ value }),
    (error: Error) => ({ error }),
  );
  return Promise.race([settled, late]).finally(() => clearTimeout(timer));
}

it('gives up on a request the server never answers once the socket was idle for the stall timeout', async () => {
  const s3 = client();
  try {
    const started = Date.now();
    const outcome = await within(s3.send(new HeadObjectCommand({ Bucket: 'b', Key: 'silent.png' })), 10_000);
    expect(outcome).not.toBe('still waiting');
    expect(outcome).toMatchObject({ error: { name: 'TimeoutError' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(STALL_MS - 50);
  } finally {
    s3.destroy();
  }
});

it('does not cut a slow answer whose bytes keep coming, however long it takes in all', async () => {
  const s3 = client();
  try {
    const read = s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'slow.png' })).then((res) => res.Body!.transformToString());
    expect(await within(read, 10_000)).toEqual({ value: 'x'.repeat(24) });
  } finally {
    s3.destroy();
  }
});
