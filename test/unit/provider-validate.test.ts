import { describe, expect, it } from 'vitest';
import { endpointSources, needsEndpoint, providerCatalog, providerTypes } from '../../src/shared/providers/catalog';
import { bucketNameProblem, providerReadiness, validateProvider } from '../../src/shared/providers/validate';
import { providerSchema } from '../../src/shared/settings';

/** A complete, valid configuration for each provider type. */
const complete: Record<string, Record<string, unknown>> = {
  aws: { region: 'eu-west-3' },
  r2: { accountId: '0123456789abcdef0123456789abcdef' },
  wasabi: { region: 'eu-central-1' },
  gcs: {},
  spaces: { region: 'nyc3' },
  b2: { region: 'us-west-004' },
  linode: { region: 'us-east-1' },
  minio: { endpoint: 'http://127.0.0.1:9000' },
};
const make = (type: string, extra: Record<string, unknown> = {}) =>
  providerSchema.parse({ id: 'p', type, bucket: 'media-bucket', accessKeyId: 'AKID', ...complete[type], ...extra });

describe('provider catalog', () => {
  it('has one entry per provider with a label, storage classes and a checksum mode', () => {
    expect(providerTypes.sort()).toEqual(['aws', 'b2', 'gcs', 'linode', 'minio', 'r2', 'spaces', 'wasabi']);
    for (const type of providerTypes) {
      const e = providerCatalog[type];
      expect(e.label.length, type).toBeGreaterThan(0);
      expect(e.storageClasses, type).toContain('STANDARD');
      expect(e.checksumMode, type).toBe(type === 'aws' ? 'WHEN_SUPPORTED' : 'WHEN_REQUIRED');
    }
  });

  it('gives the Spaces CDN URL for a bucket and region (offered as the public URL), and none without them', () => {
    expect(providerCatalog.spaces.cdnUrl?.({ bucket: 'media', region: 'nyc3' })).toBe('https://media.nyc3.cdn.digitaloceanspaces.com');
    expect(providerCatalog.spaces.cdnUrl?.({ bucket: 'media' })).toBeNull();
  });

  it('says where each provider\'s endpoint comes from, and when the user must give one', () => {
    expect(needsEndpoint(providerCatalog.minio, {})).toBe(true);
    expect(needsEndpoint(providerCatalog.r2, {})).toBe(true);
    expect(needsEndpoint(providerCatalog.r2, { accountId: 'a'.repeat(32) })).toBe(false);
    for (const type of ['aws', 'wasabi', 'gcs', 'spaces', 'b2', 'linode'] as const) expect(needsEndpoint(providerCatalog[type], {}), type).toBe(false);
    expect(endpointSources(providerCatalog.r2)).toBe('accountId or endpoint');
    expect(endpointSources(providerCatalog.wasabi)).toBe('region or endpoint');
    expect(endpointSources(providerCatalog.minio)).toBe('endpoint');
  });
});

describe('readiness', () => {
  it.each(providerTypes)('%s is ready when complete, with its secret', (type) => {
    expect(providerReadiness(make(type), true)).toEqual({ status: 'ready', issues: [] });
  });

  it.each(providerTypes.filter((t) => t !== 'aws'))('%s is incomplete without its secret or access key', (type) => {
    expect(providerReadiness(make(type), false).issues).toContainEqual({ field: 'secret', message: 'Secret is required' });
    expect(providerReadiness(make(type, { accessKeyId: null }), true).issues).toContainEqual({ field: 'accessKeyId', message: 'Access key ID is required' });
  });

  it('lets Amazon S3 use the SDK default chain when no key is given at all', () => {
    expect(providerReadiness(make('aws', { accessKeyId: null }), false).status).toBe('ready');
  });

  it('never sends this computer\'s AWS credentials to a custom endpoint: there a key and secret are required', () => {
    const custom = make('aws', { accessKeyId: null, endpoint: 'https://s3.example.net' });
    expect(providerReadiness(custom, false).issues.map((i) => i.field)).toEqual(['accessKeyId', 'secret']);
  });

  it('reports a disabled provider as disabled, whatever its fields', () => {
    expect(providerReadiness(make('minio', { enabled: false }), true).status).toBe('disabled');
  });
});

describe('field rules', () => {
  it.each([
    ['ab', 'Bucket names are 3 to 63 characters long'],
    ['Media', 'Bucket names use lowercase letters, digits, dots and hyphens only'],
    ['media_bucket', 'Bucket names use lowercase letters, digits, dots and hyphens only'],
    ['-media', 'Bucket names start and end with a letter or digit'],
    ['my..bucket', 'Bucket names cannot contain two dots in a row'],
    ['192.168.1.1', 'Bucket names cannot look like an IP address'],
  ])('refuses bucket %s', (name, message) => {
    expect(bucketNameProblem(name, 's3')).toBe(message);
  });

  it('allows underscores in GCS bucket names only', () => {
    expect(bucketNameProblem('media_bucket', 'gcs')).toBeNull();
  });

  it.each([
    ['wasabi', { region: 'mars-1' }, 'region', /^Region must be one of us-east-1/],
    ['spaces', { region: 'nyc9' }, 'region', /^Region must be one of nyc3/],
    ['b2', { region: 'westus' }, 'region', /does not look like a Backblaze B2 region/],
    ['aws', { region: 'europe' }, 'region', /does not look like a Amazon S3 region/],
    ['r2', { accountId: null }, 'accountId', /Account ID \(or a custom endpoint\) is required/],
    ['r2', { accountId: 'abc' }, 'accountId', /32-character hex/],
    ['minio', { endpoint: null }, 'endpoint', /Endpoint is required/],
    ['minio', { publicUrl: null, keyPrefix: 'a/../b' }, 'keyPrefix', /cannot contain "\." or "\.\." segments/],
    ['aws', { storageClass: 'NEARLINE' }, 'storageClass', /must be one of STANDARD, INTELLIGENT_TIERING/],
    ['minio', { keyTemplate: '{nope}/{name}' }, 'keyTemplate', /unknown token \{nope\}/],
    ['minio', { keyTemplate: '../{relpath}' }, 'keyTemplate', /could escape the key prefix/],
  ])('%s %j: %s', (type, extra, field, message) => {
    const issue = validateProvider(make(type, extra), true).find((i) => i.field === field);
    expect(issue?.message).toMatch(message);
  });

  it('accepts an R2 custom endpoint instead of the account id', () => {
    expect(validateProvider(make('r2', { accountId: null, endpoint: 'https://files.example.com' }), true)).toEqual([]);
  });
});
