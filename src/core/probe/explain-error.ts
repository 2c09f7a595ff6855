/**
 * Turns an S3 or network error at one step of the connection test into the cause and fix the user reads
 * (PRODUCT.md §3 table). One function per cause would be overkill: it is one table, read top to bottom.
 */
import type { ProbeIssue, ProbeStep } from '../../shared/probe';

export interface ProbeContext {
  bucket: string;
  prefix: string;
  host: string;
  region: string;
  providerId: string;
}

interface ErrorLike {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  Region?: string;
  ServerTime?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string> };
  cause?: unknown;
}

const networkCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'TimeoutError', 'EPIPE']);

/** The first `code` found on the error or its causes (the SDK wraps socket errors). */
function innerCode(e: ErrorLike): string | undefined {
  for (let cur: ErrorLike | undefined = e, depth = 0; cur && depth < 5; cur = cur.cause as ErrorLike | undefined, depth++) {
    if (typeof cur.code === 'string') return cur.code;
  }
  return undefined;
}

export function explainProbeError(step: ProbeStep, error: unknown, ctx: ProbeContext): ProbeIssue {
  const e = (error ?? {}) as ErrorLike;
  const code = e.Code ?? e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const sysCode = innerCode(e);
  const text = `${code} ${e.message ?? ''}`;
  const issue = (c: string, message: string, fix: string): ProbeIssue => ({ step, code: c, message, fix });

  if (code === 'InvalidAccessKeyId') return issue('unknown-access-key', 'The access key is not recognised', 'Check the access key ID. If it was rotated or deleted, create a new key in the provider\'s console.');
  if (code === 'SignatureDoesNotMatch') return issue('bad-secret', 'The secret does not match the key', 'Re-enter the secret access key that belongs to this access key ID.');
  const redirectRegion = e.Region ?? e.$response?.headers?.['x-amz-bucket-region'];
  if (code === 'AuthorizationHeaderMalformed' || code === 'PermanentRedirect' || code === 'IllegalLocationConstraintException' || status === 301) {
    const where = redirectRegion ?? 'another region';
    return issue('wrong-region', `The bucket lives in ${where}, not the region set (${ctx.region})`, redirectRegion ? `Set the region to ${redirectRegion}.` : 'Set the region the bucket was created in.');
  }
  if (code === 'NoSuchBucket') return issue('bucket-missing', `Bucket ${ctx.bucket} does not exist at this endpoint`, 'Check the bucket name and the endpoint or region. The companion never creates buckets.');
  if (code === 'RequestTimeTooSkewed') {
    const server = e.ServerTime ? Date.parse(e.ServerTime) : NaN;
    const minutes = Number.isFinite(server) ? Math.round(Math.abs(Date.now() - server) / 60_000) : null;
    return issue('clock-skew', minutes === null ? "This computer's clock is off" : `This computer's clock is off by ${minutes} minutes`, 'Turn on automatic date and time (network time) and test again.');
  }
  if (sysCode && /CERT|SSL|TLS/i.test(sysCode)) {
    return issue('tls', `A secure connection to ${ctx.host} failed: ${sysCode}`, 'Check the endpoint\'s certificate and hostname; use https:// for the provider, http:// only for a server on your own network.');
  }
  if ((sysCode && networkCodes.has(sysCode)) || networkCodes.has(code)) {
    return issue('unreachable', `Cannot reach ${ctx.host}: ${sysCode ?? code}`, 'Check the endpoint URL (http or https, port), the network connection and any firewall or proxy.');
  }
  if (step === 'write' && (status === 501 || /checksum|x-amz-content-sha256|trailer|aws-chunked|STREAMING/i.test(text))) {
    return issue('checksum-mode', "The provider rejected the AWS SDK's checksum headers", 'Use checksum mode WHEN_REQUIRED for this provider: check the provider type, or set AWS_REQUEST_CHECKSUM_CALCULATION=WHEN_REQUIRED and AWS_RESPONSE_CHECKSUM_VALIDATION=WHEN_REQUIRED.');
  }
  if (code === 'AccessDenied' || status === 403) {
    if (step === 'write') return issue('write-denied', 'The key may not write to this bucket/prefix', `Allow s3:PutObject on ${ctx.bucket}/${ctx.prefix ? `${ctx.prefix}/` : ''}* for this key.`);
    if (step === 'read') return issue('write-only', 'Upload succeeded but the object could not be read back: this key is write-only', 'Offloading can upload, but cannot verify uploads, so files are never marked offloaded nor removed locally. Allow s3:GetObject on the prefix to verify.');
    if (step === 'delete') return issue('delete-denied', 'Offload works; the probe object could not be deleted', 'Delete the probe object by hand, or allow s3:DeleteObject on the prefix. Offloading itself never deletes remote objects.');
  }
  return issue('unexpected', `${code}${e.message && e.message !== code ? `: ${e.message}` : ''}${status ? ` (HTTP ${status})` : ''}`, `See the provider's documentation for ${code}.`);
}
