/**
 * The checking front that makes s3rver fit for integration tests (docs/test-lab.md): it verifies SigV4
 * (header and presigned), answers `If-None-Match: *` with 412 on existing keys, refuses `aws-chunked`
 * bodies loudly instead of letting s3rver store the framing as data, serves the multipart listing and
 * abort calls s3rver lacks, and denies anonymous access except to buckets marked public.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { abortMultipartUpload, listMultipartUploads, listParts } from './multipart-listing.ts';
import { verifySigV4, type LabUser } from './sigv4.ts';
import { sendError } from './xml.ts';

export interface FrontOptions {
  s3rverPort: number;
  dataDir: string;
  /** Where request bodies wait until they are complete (outside dataDir). */
  spoolDir: string;
  users: LabUser[];
  region: string;
}

interface Target {
  bucket: string;
  key: string;
  query: URLSearchParams;
}

function parseTarget(url: string): Target {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const [, bucket = '', ...rest] = path.split('/');
  return { bucket: decodeURIComponent(bucket), key: decodeURIComponent(rest.join('/')), query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)) };
}

/** The request target without signature parameters, for the anonymous hop to s3rver. */
function unsignedUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const kept = url
    .slice(q + 1)
    .split('&')
    .filter((p) => p && !/^X-Amz-/i.test(p));
  return kept.length ? `${url.slice(0, q)}?${kept.join('&')}` : url.slice(0, q);
}

function objectExists(port: number, url: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'HEAD', path: url.split('?')[0] }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Receives a request body completely into a temp file before anything reaches s3rver. s3rver writes
 * bodies straight into the object file, so an aborted upload would leave a partial object that HEAD and
 * GET serve; S3 discards such bodies. Returns null when the client went away or sent fewer bytes than
 * its Content-Length.
 */
async function spoolBody(req: IncomingMessage, spoolDir: string): Promise<{ path: string; size: number; md5: string } | null> {
  const path = join(spoolDir, randomUUID());
  let size = 0;
  const md5 = createHash('md5');
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    md5.update(chunk);
  });
  try {
    await pipeline(req, createWriteStream(path));
  } catch {
    await rm(path, { force: true });
    return null;
  }
  const declared = req.headers['content-length'];
  if (!req.complete || (declared !== undefined && Number(declared) !== size)) {
    await rm(path, { force: true });
    return null;
  }
  return { path, size, md5: md5.digest('base64') };
}

async function forward(port: number, spoolDir: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const hasBody = req.method === 'PUT' || req.method === 'POST';
  const spooled = hasBody ? await spoolBody(req, spoolDir) : null;
  if (hasBody && !spooled) return; // client is gone; nothing reaches the store
  const declaredMd5 = req.headers['content-md5'];
  if (spooled && declaredMd5 !== undefined && declaredMd5 !== spooled.md5) {
    // S3 validates Content-MD5; s3rver does not, so the front does (docs/test-lab.md).
    await rm(spooled.path, { force: true });
    return sendError(res, 400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
  }
  const headers = { ...req.headers };
  delete headers.authorization;
  if (spooled) headers['content-length'] = String(spooled.size);
  await new Promise<void>((resolve) => {
    const upstream = request({ host: '127.0.0.1', port, method: req.method, path: unsignedUrl(req.url ?? '/'), headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
      up.on('end', resolve);
      up.on('error', resolve);
    });
    upstream.on('error', (error) => {
      if (!res.headersSent) sendError(res, 502, 'LabUpstreamError', error.message);
      else res.destroy(error);
      resolve();
    });
    const body: Readable | null = spooled ? createReadStream(spooled.path) : null;
    if (body) body.pipe(upstream);
    else req.pipe(upstream);
  });
  if (spooled) await rm(spooled.path, { force: true });
}

export function createFront(options: FrontOptions): { server: Server; publicBuckets: Set<string> } {
  const publicBuckets = new Set<string>();
  /** The last create-only write per key, so the next one waits for it. */
  const conditionalWrites = new Map<string, Promise<unknown>>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    const target = parseTarget(url);

    if (target.bucket === '__lab') {
      // Loopback-only control channel for tests: POST /__lab/public/<bucket> makes a bucket public-read.
      if (method === 'POST' && target.key.startsWith('public/')) publicBuckets.add(target.key.slice(7));
      res.writeHead(204).end();
      return;
    }

    const auth = verifySigV4({ method, url, headers: req.headers, now: new Date() }, options.users, options.region);
    if (auth === null) {
      const publicRead = (method === 'GET' || method === 'HEAD') && target.key !== '' && publicBuckets.has(target.bucket);
      if (!publicRead) return sendError(res, 403, 'AccessDenied', 'Access Denied');
    } else if ('status' in auth) {
      req.resume();
      return sendError(res, auth.status, auth.code, auth.message, auth.extra);
    }

    const payloadMode = String(req.headers['x-amz-content-sha256'] ?? '');
    if (payloadMode.startsWith('STREAMING-') || /aws-chunked/i.test(String(req.headers['content-encoding'] ?? ''))) {
      req.resume();
      return sendError(
        res,
        400,
        'NotImplemented',
        'The test front refuses aws-chunked bodies (s3rver would store the chunk framing as data). Use WHEN_REQUIRED checksums.',
      );
    }

    const uploadId = target.query.get('uploadId');
    if (method === 'GET' && target.key === '' && target.query.has('uploads')) {
      return listMultipartUploads(options.dataDir, target.bucket, target.query.get('prefix') ?? '', res);
    }
    if (method === 'GET' && uploadId) return listParts(options.dataDir, target.bucket, target.key, uploadId, res);
    if (method === 'DELETE' && uploadId) return abortMultipartUpload(options.dataDir, target.bucket, target.key, uploadId, res);

    const createsObject = (method === 'PUT' && !target.query.has('partNumber') && target.key !== '') || (method === 'POST' && uploadId);
    if (!createsObject || req.headers['if-none-match'] !== '*') return forward(options.s3rverPort, options.spoolDir, req, res);
    // Check and write as one step per key, as S3 does: two racing create-only writes cannot both win.
    const key = `${target.bucket}/${target.key}`;
    const previous = conditionalWrites.get(key) ?? Promise.resolve();
    const mine = previous.then(async () => {
      if (await objectExists(options.s3rverPort, url)) {
        req.resume();
        return sendError(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-None-Match' });
      }
      await forward(options.s3rverPort, options.spoolDir, req, res);
    });
    conditionalWrites.set(key, mine.catch(() => undefined));
    await mine;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'LabInternalError', String(error));
      else res.destroy();
    });
  });
  return { server, publicBuckets };
}
