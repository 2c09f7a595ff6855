/**
 * Classifies what went wrong talking to a bucket, so the engine knows whether to retry, pause or fail,
 * and the user reads a cause instead of an SDK class name.
 */

export type ErrorKind =
  /** Network, throttling, 5xx: try again with backoff. */
  | 'transient'
  /** Credentials, bucket, region, permissions: every file would fail the same way. */
  | 'provider'
  /** The key exists and If-None-Match refused the write. */
  | 'exists'
  /** The bytes sent differ from the digest: the file changed while uploading. */
  | 'changed'
  /** Anything else about this one request. */
  | 'permanent';

export interface ClassifiedError {
  kind: ErrorKind;
  code: string;
  message: string;
}

const providerCodes: Record<string, string> = {
  InvalidAccessKeyId: 'The access key is not recognised',
  SignatureDoesNotMatch: 'The secret does not match the key',
  NoSuchBucket: 'The bucket does not exist at this endpoint',
  AccessDenied: 'The key is not allowed to do this on the bucket/prefix',
  AuthorizationHeaderMalformed: 'The bucket lives in another region than the one set',
  PermanentRedirect: 'The bucket lives in another region than the one set',
  RequestTimeTooSkewed: "This computer's clock is off",
  InvalidBucketName: 'The bucket name is not valid',
};

const transientCodes = new Set([
  'SlowDown',
  'ServiceUnavailable',
  'InternalError',
  'RequestTimeout',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'NetworkingError',
  'TooManyRequests',
]);

/** Errors that mean the endpoint cannot be reached at all (as opposed to a connection that broke). */
const unreachableCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN']);

/** The system error code behind an SDK error, if any (the SDK wraps socket errors). */
function systemCode(error: unknown): string | undefined {
  for (let cur = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; cur && depth < 5; cur = cur.cause as typeof cur, depth++) {
    if (typeof cur.code === 'string') return cur.code;
  }
  return undefined;
}

/** True when the bucket's endpoint cannot be reached: the engine goes offline instead of failing files. */
export function isUnreachable(error: unknown): boolean {
  const code = systemCode(error);
  return code !== undefined && unreachableCodes.has(code);
}

export function classifyS3Error(error: unknown): ClassifiedError {
  const e = error as { name?: string; code?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  const named = e.Code ?? e.code ?? e.name ?? 'Error';
  // HEAD answers carry no body, so the SDK cannot name the error: name it from the status.
  const bodiless: Record<number, string> = { 403: 'AccessDenied', 404: 'NotFound' };
  const code = (named === 'Unknown' || named === 'UnknownError') && status !== undefined ? (bodiless[status] ?? `HTTP${status}`) : named;
  const detail = e.message && e.message !== code && e.message !== named && e.message !== 'UnknownError' ? `: ${e.message}` : '';
  if (status === 412 || code === 'PreconditionFailed') return { kind: 'exists', code: 'PreconditionFailed', message: 'An object already exists at this key' };
  if (code === 'BadDigest' || code === 'InvalidDigest') return { kind: 'changed', code, message: 'The file changed while it was uploading' };
  if (code in providerCodes) return { kind: 'provider', code, message: `${providerCodes[code]} (${code}${detail})` };
  if (transientCodes.has(code) || (status !== undefined && (status >= 500 || status === 429))) {
    return { kind: 'transient', code, message: `Temporary failure talking to the bucket (${code}${detail})` };
  }
  if (status === 403) return { kind: 'provider', code, message: `Access denied (${code}${detail})` };
  if (status === undefined && /socket|network|timeout|connect/i.test(e.message ?? '')) {
    return { kind: 'transient', code, message: `Network error (${e.message})` };
  }
  return { kind: 'permanent', code, message: `${code}${detail}` };
}

/**
 * Sends one request up to three times while it fails transiently, backing off 0.5 s then 1 s. `send`
 * builds its body anew each time (a used stream cannot be resent); `onFailedAttempt` runs after each
 * failure (e.g. to reset a progress count).
 */
export async function retryTransient<T>(signal: AbortSignal, send: () => Promise<T>, onFailedAttempt?: () => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      onFailedAttempt?.();
      if (attempt >= 3 || signal.aborted || classifyS3Error(error).kind !== 'transient') throw error;
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
    }
  }
}
