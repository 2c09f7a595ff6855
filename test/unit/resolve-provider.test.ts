import { describe, expect, it } from 'vitest';
import { activeProvider, resolveProvider } from '../../src/core/providers/resolve-provider';
import { clientOptionsFor } from '../../src/core/providers/provider-session';
import { s3ClientConfig } from '../../src/core/storage/s3-client';
import { providerSchema, settingsSchema } from '../../src/shared/settings';

const provider = (fields: Record<string, unknown>) => providerSchema.parse({ id: 'p', bucket: 'media', ...fields });

describe('provider resolution', () => {
  it.each([
    [{ type: 'r2', accountId: 'abc123' }, 'https://abc123.r2.cloudflarestorage.com', 'auto', true],
    [{ type: 'wasabi', region: 'eu-central-1' }, 'https://s3.eu-central-1.wasabisys.com', 'eu-central-1', false],
    [{ type: 'spaces', region: 'nyc3' }, 'https://nyc3.digitaloceanspaces.com', 'nyc3', false],
    [{ type: 'b2', region: 'us-west-004' }, 'https://s3.us-west-004.backblazeb2.com', 'us-west-004', false],
    [{ type: 'linode', region: 'us-east-1' }, 'https://us-east-1.linodeobjects.com', 'us-east-1', false],
    [{ type: 'gcs', region: 'europe-west1' }, 'https://storage.googleapis.com', 'auto', true],
    [{ type: 'minio', endpoint: 'http://127.0.0.1:9000' }, 'http://127.0.0.1:9000', 'us-east-1', true],
    [{ type: 'aws', region: 'eu-west-3' }, undefined, 'eu-west-3', false],
  ])('%j → endpoint %s, region %s, path-style %s', (fields, endpoint, region, pathStyle) => {
    const r = resolveProvider(provider(fields));
    expect(r.ok && { endpoint: r.provider.endpoint, region: r.provider.region, pathStyle: r.provider.forcePathStyle }).toEqual({ endpoint, region, pathStyle });
  });

  it('explains why a provider cannot be used', () => {
    expect(resolveProvider(provider({ type: 'r2' }))).toEqual({ ok: false, reason: 'provider "p": endpoint is not set (give accountId or endpoint)' });
    expect(resolveProvider(provider({ type: 'aws' }))).toEqual({ ok: false, reason: 'provider "p": region is not set' });
    expect(resolveProvider(provider({ type: 'minio', endpoint: 'http://x', enabled: false }))).toEqual({ ok: false, reason: 'provider "p" is disabled' });
    expect(resolveProvider(provider({ type: 'minio', endpoint: 'http://x', bucket: '' }))).toEqual({ ok: false, reason: 'provider "p": bucket is not set' });
  });

  it('uses WHEN_REQUIRED checksums everywhere but Amazon S3', () => {
    const r2 = resolveProvider(provider({ type: 'r2', accountId: 'a' }));
    const aws = resolveProvider(provider({ type: 'aws', region: 'us-east-1' }));
    if (!r2.ok || !aws.ok) throw new Error('expected both to resolve');
    expect(s3ClientConfig(clientOptionsFor(r2.provider, null)).requestChecksumCalculation).toBe('WHEN_REQUIRED');
    expect(s3ClientConfig(clientOptionsFor(aws.provider, null)).requestChecksumCalculation).toBe('WHEN_SUPPORTED');
  });

  it('treats "local" as the active storage without a provider', () => {
    expect(activeProvider(settingsSchema.parse({}))).toMatchObject({ ok: false, local: true });
  });
});
