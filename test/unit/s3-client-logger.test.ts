/**
 * The S3 client's logger (s3-client.ts silentLogger): the SDK writes nothing to the console — a failed
 * streamed request made its retry middleware warn there whenever the logger was the default one — and it
 * is not handed a filtered copy of each request to throw away. A loopback server answers 503.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { s3ClientConfig } from '../../src/core/storage/s3-client';

let server: Server;
let endpoint: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(503, { 'content-type': 'application/xml' }).end('<Error><Code>SlowDown</Code><Message>busy</Message></Error>'));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

it('writes nothing to the console when a streamed upload fails, and logs no request', async () => {
  const config = s3ClientConfig({ region: 'us-east-1', endpoint, forcePathStyle: true, checksumMode: 'WHEN_REQUIRED', credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' }, stallTimeoutMs: 5_000, maxAttempts: 2 });
  // The SDK builds a secret-filtered copy of every input and output for logger.info: none is wanted.
  expect(typeof (config.logger as { info?: unknown }).info).not.toBe('function');
  const client = new S3Client(config);
  const warn = vi.spyOn(console, 'warn');
  const error = vi.spyOn(console, 'error');
  const log = vi.spyOn(console, 'log');
  try {
    const put = client.send(new PutObjectCommand({ Bucket: 'b', Key: 'k.png', Body: Readable.from([Buffer.from('bytes')]), ContentLength: 5 }));
    await expect(put).rejects.toMatchObject({ $metadata: { httpStatusCode: 503 } });
    expect([...warn.mock.calls, ...error.mock.calls, ...log.mock.calls]).toEqual([]);
  } finally {
    client.destroy();
    vi.restoreAllMocks();
  }
});
