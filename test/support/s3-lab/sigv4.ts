/**
 * AWS Signature V4 verification for the test front (s3rver accepts any secret, so the front checks it).
 * Handles the Authorization header and presigned query strings; answers with the S3 error a real
 * server gives. Node-only, loaded by the S3 lab's server process through Node's type stripping.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface LabUser {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SigV4Failure {
  status: number;
  code: string;
  message: string;
  extra?: Record<string, string>;
}

export interface SigV4Request {
  method: string;
  /** Raw request target as received: path plus query, still percent-encoded. */
  url: string;
  headers: IncomingHttpHeaders;
  now: Date;
}

/** RFC 3986 encoding as SigV4 wants it. */
const encode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const decode = (s: string): string => decodeURIComponent(s.replace(/\+/g, '%20'));

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const hmac = (key: Buffer | string, s: string): Buffer => createHmac('sha256', key).update(s).digest();

function canonicalQuery(rawQuery: string, omit?: string): string {
  if (!rawQuery) return '';
  return rawQuery
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const i = pair.indexOf('=');
      const k = decode(i < 0 ? pair : pair.slice(0, i));
      const v = i < 0 ? '' : decode(pair.slice(i + 1));
      return [k, v] as const;
    })
    .filter(([k]) => k !== omit)
    .map(([k, v]) => [encode(k), encode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : av > bv ? 1 : 0) : ak < bk ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const v = headers[name];
  return (Array.isArray(v) ? v.join(',') : (v ?? '')).trim().replace(/\s+/g, ' ');
}

/** Parses `20260101T000000Z`. */
function parseAmzDate(s: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return null;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

interface Parsed {
  accessKeyId: string;
  scopeDate: string;
  region: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  payloadHash: string;
  presigned: boolean;
  expiresSeconds?: number;
}

function parseRequest(req: SigV4Request, rawQuery: string): Parsed | SigV4Failure | null {
  const auth = headerValue(req.headers, 'authorization');
  const params = new URLSearchParams(rawQuery);
  let credential: string;
  let signedHeaders: string;
  let signature: string;
  let amzDate: string;
  let payloadHash: string;
  let expiresSeconds: number | undefined;
  const presigned = params.has('X-Amz-Signature');
  if (auth) {
    const m = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(auth);
    if (!m) return { status: 400, code: 'AuthorizationHeaderMalformed', message: 'The authorization header is malformed.' };
    [credential, signedHeaders, signature] = [m[1]!, m[2]!, m[3]!];
    amzDate = headerValue(req.headers, 'x-amz-date');
    payloadHash = headerValue(req.headers, 'x-amz-content-sha256');
    if (!payloadHash) return { status: 400, code: 'InvalidRequest', message: 'Missing required header for this request: x-amz-content-sha256' };
  } else if (presigned) {
    credential = params.get('X-Amz-Credential') ?? '';
    signedHeaders = params.get('X-Amz-SignedHeaders') ?? '';
    signature = params.get('X-Amz-Signature') ?? '';
    amzDate = params.get('X-Amz-Date') ?? '';
    payloadHash = 'UNSIGNED-PAYLOAD';
    expiresSeconds = Number(params.get('X-Amz-Expires') ?? 'NaN');
  } else {
    return null; // anonymous
  }
  const scope = credential.split('/');
  if (scope.length !== 5 || scope[3] !== 's3' || scope[4] !== 'aws4_request') {
    return { status: 400, code: 'AuthorizationHeaderMalformed', message: `Bad credential scope: ${credential}` };
  }
  return {
    accessKeyId: scope[0]!,
    scopeDate: scope[1]!,
    region: scope[2]!,
    signedHeaders: signedHeaders.split(';'),
    signature,
    amzDate,
    payloadHash,
    presigned,
    ...(expiresSeconds === undefined ? {} : { expiresSeconds }),
  };
}

const SKEW_LIMIT_MS = 15 * 60 * 1000;

/**
 * Verifies a request's signature. Returns the user on success, null for an anonymous request, or the
 * failure S3 would answer with (unknown key, bad signature, wrong region, skewed clock, expired URL).
 */
export function verifySigV4(
  req: SigV4Request,
  users: readonly LabUser[],
  region: string,
): { user: LabUser } | SigV4Failure | null {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const rawQuery = q < 0 ? '' : req.url.slice(q + 1);
  const parsed = parseRequest(req, rawQuery);
  if (parsed === null || 'status' in parsed) return parsed;

  const user = users.find((u) => u.accessKeyId === parsed.accessKeyId);
  if (!user) {
    return { status: 403, code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' };
  }
  if (parsed.region !== region) {
    return {
      status: 400,
      code: 'AuthorizationHeaderMalformed',
      message: `The authorization header is malformed; the region '${parsed.region}' is wrong; expecting '${region}'`,
      extra: { Region: region },
    };
  }
  const signedAt = parseAmzDate(parsed.amzDate);
  if (!signedAt) return { status: 403, code: 'AccessDenied', message: 'X-Amz-Date is missing or malformed.' };
  if (parsed.presigned) {
    const expires = parsed.expiresSeconds ?? NaN;
    if (!Number.isFinite(expires) || req.now.getTime() > signedAt.getTime() + expires * 1000) {
      return { status: 403, code: 'AccessDenied', message: 'Request has expired' };
    }
  } else if (Math.abs(req.now.getTime() - signedAt.getTime()) > SKEW_LIMIT_MS) {
    return {
      status: 403,
      code: 'RequestTimeTooSkewed',
      message: 'The difference between the request time and the current time is too large.',
      extra: { RequestTime: parsed.amzDate, ServerTime: req.now.toISOString() },
    };
  }

  const canonicalHeaders = parsed.signedHeaders.map((h) => `${h}:${headerValue(req.headers, h)}\n`).join('');
  const canonicalRequest = [
    req.method,
    path,
    canonicalQuery(rawQuery, parsed.presigned ? 'X-Amz-Signature' : undefined),
    canonicalHeaders,
    parsed.signedHeaders.join(';'),
    parsed.payloadHash,
  ].join('\n');
  const scope = `${parsed.scopeDate}/${parsed.region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', parsed.amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${user.secretAccessKey}`, parsed.scopeDate), parsed.region), 's3'), 'aws4_request');
  const expected = hmac(key, stringToSign);
  const given = Buffer.from(parsed.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return {
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    };
  }
  return { user };
}
