/**
 * The S3 client behind an object store: built here, from plain options, so the AWS SDK is imported by the
 * storage adapter alone (src/core/storage). What the options hold is decided by the provider's catalog
 * entry (providers/resolve-provider.ts).
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { ChecksumMode } from '../../shared/providers/catalog';
import type { Credentials } from '../secrets/secret-store';
import { S3ObjectStore } from './s3-object-store';

export interface S3ClientOptions {
  region: string;
  /** Absent for Amazon S3, whose endpoint the SDK derives from the region. */
  endpoint: string | undefined;
  forcePathStyle: boolean;
  checksumMode: ChecksumMode;
  /** Null: the SDK's default chain (only where the provider allows it). */
  credentials: Credentials | null;
  /** A socket idle this long is abandoned, so a stalled connection cannot hang an upload. */
  stallTimeoutMs: number;
  /** Sends of one request (the connection test sends each once). */
  maxAttempts: number;
}

/**
 * Discards SDK log lines. The SDK's retry middleware writes "An error was encountered in a
 * non-retryable streaming request." to the console whenever the logger is its default NoOpLogger
 * (@smithy/core retryMiddleware); the engine records every failure with its cause in the ledger instead.
 * No `info` and no `error`: the SDK's logger middleware calls them as `logger?.info?.(…)` with a copy of
 * every request's input and output filtered for secrets, built first: about 1 % of the main thread in
 * the small workload's profile (docs/PERFORMANCE.md, "Second round"), for lines thrown away. `warn` must be a function (the retry middleware calls it).
 */
const silentLogger = { trace() {}, debug() {}, warn() {} } as unknown as NonNullable<S3ClientConfig['logger']>; // the Logger type's info/error are required by type, optional in use (above)

export function s3ClientConfig(o: S3ClientOptions): S3ClientConfig {
  return {
    logger: silentLogger,
    region: o.region,
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    forcePathStyle: o.forcePathStyle,
    // Amazon S3 gets the SDK's default checksums; other providers break on them (aws-sdk-js-v3 #6810).
    requestChecksumCalculation: o.checksumMode,
    responseChecksumValidation: o.checksumMode,
    ...(o.credentials ? { credentials: o.credentials } : {}),
    maxAttempts: o.maxAttempts,
    // The stall timeout is the socket's idle time (`socketTimeout`), not `requestTimeout`: since
    // @smithy/node-http-handler 4.x `requestTimeout` bounds the whole request and by default only logs a
    // warning, so a server that stopped answering held a file in `uploading` for ever (seen in the bench:
    // RGW left two CreateMultipartUpload requests unanswered). An idle socket says nothing of how long a
    // slow upload may take, so a part on a slow link is never cut while its bytes still flow.
    requestHandler: { connectionTimeout: Math.min(o.stallTimeoutMs, 15_000), socketTimeout: o.stallTimeoutMs },
  };
}

/** An object store on `bucket` with its own client; `dispose` closes the client's sockets. */
export function openObjectStore(options: S3ClientOptions, bucket: string): { store: S3ObjectStore; dispose: () => void } {
  const client = new S3Client(s3ClientConfig(options));
  return { store: new S3ObjectStore(client, bucket), dispose: () => client.destroy() };
}
