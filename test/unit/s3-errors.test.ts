import { describe, expect, it } from 'vitest';
import { classifyS3Error } from '../../src/core/storage/s3-errors';
import { envPrefix, EnvSecretStore } from '../../src/core/secrets/secret-store';

const s3Error = (name: string, status: number) => Object.assign(new Error(`${name} message`), { name, $metadata: { httpStatusCode: status } });

describe('S3 error classification', () => {
  it.each([
    [s3Error('SlowDown', 503), 'transient'],
    [s3Error('InternalError', 500), 'transient'],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'transient'],
    [s3Error('InvalidAccessKeyId', 403), 'provider'],
    [s3Error('SignatureDoesNotMatch', 403), 'provider'],
    [s3Error('NoSuchBucket', 404), 'provider'],
    [s3Error('AccessDenied', 403), 'provider'],
    [s3Error('PreconditionFailed', 412), 'exists'],
    [s3Error('BadDigest', 400), 'changed'],
    [s3Error('InvalidArgument', 400), 'permanent'],
    [s3Error('Unknown', 403), 'provider'],
  ])('%s → %s', (error, kind) => {
    expect(classifyS3Error(error).kind).toBe(kind);
  });

  it('names a bodiless 403 (a HEAD) AccessDenied instead of Unknown', () => {
    // What the SDK throws for a HEAD answered 403: no body, so name "Unknown" and message "UnknownError".
    const headError = Object.assign(new Error('UnknownError'), { name: 'Unknown', $metadata: { httpStatusCode: 403 } });
    expect(classifyS3Error(headError)).toMatchObject({ code: 'AccessDenied', message: 'The key is not allowed to do this on the bucket/prefix (AccessDenied)' });
  });

  it('says what the cause means for the user', () => {
    expect(classifyS3Error(s3Error('SignatureDoesNotMatch', 403)).message).toMatch(/^The secret does not match the key/);
  });
});

describe('environment credentials', () => {
  it('upper-cases the id and turns other characters into _', () => {
    expect(envPrefix('studio-bucket.2')).toBe('OFFLOAD_STUDIO_BUCKET_2_');
  });

  it('reads OFFLOAD_<ID>_ACCESS_KEY_ID and _SECRET_ACCESS_KEY', async () => {
    const store = new EnvSecretStore({ OFFLOAD_R2_MAIN_ACCESS_KEY_ID: 'AK', OFFLOAD_R2_MAIN_SECRET_ACCESS_KEY: 'SK' });
    expect([await store.getAccessKeyId('r2-main'), await store.getSecret('r2-main'), await store.getSecret('other')]).toEqual(['AK', 'SK', null]);
  });
});
