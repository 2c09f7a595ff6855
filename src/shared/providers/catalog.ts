/**
 * The provider catalog: one declarative entry per provider type (PRODUCT.md §1, PROVIDERS.md). Every
 * provider quirk the engine needs lives here, never in `if` chains elsewhere.
 */

export type ProviderType = 'aws' | 'r2' | 'wasabi' | 'gcs' | 'spaces' | 'b2' | 'linode' | 'minio';

/** How the AWS SDK computes and validates its own checksums for this provider. */
export type ChecksumMode = 'WHEN_SUPPORTED' | 'WHEN_REQUIRED';

export interface ProviderEntry {
  label: string;
  /** Endpoint from the provider's settings, or null when the user must give one. */
  endpoint: (p: { region?: string | undefined; accountId?: string | undefined }) => string | null;
  /** Region to sign with when the user gives none (R2 and GCS always sign as `auto`). */
  defaultRegion: string | null;
  /** True when the region is fixed by the provider and the user's value is ignored. */
  regionFixed: boolean;
  forcePathStyle: boolean;
  checksumMode: ChecksumMode;
  /** Honours `If-None-Match: *` on PutObject and CompleteMultipartUpload. */
  conditionalWrites: boolean;
  /** Whether `x-amz-acl` may be sent at all (R2 rejects it). */
  acls: boolean;
  /** Largest single PUT the provider accepts, in bytes. */
  maxSinglePutBytes: number;
  storageClasses: readonly string[];
  /** Public URL pattern when the provider has one (Spaces CDN), else null. */
  publicUrl: ((p: { bucket: string; region?: string | undefined }) => string) | null;
}

const GiB = 1024 ** 3;

export const providerCatalog: Record<ProviderType, ProviderEntry> = {
  aws: {
    label: 'Amazon S3',
    endpoint: () => null, // the SDK derives it from the region
    defaultRegion: null,
    regionFixed: false,
    forcePathStyle: false,
    checksumMode: 'WHEN_SUPPORTED',
    conditionalWrites: true,
    acls: true,
    maxSinglePutBytes: 5 * GiB,
    storageClasses: ['STANDARD', 'INTELLIGENT_TIERING', 'STANDARD_IA', 'ONEZONE_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'],
    publicUrl: null,
  },
  r2: {
    label: 'Cloudflare R2',
    endpoint: ({ accountId }) => (accountId ? `https://${accountId}.r2.cloudflarestorage.com` : null),
    defaultRegion: 'auto',
    regionFixed: true,
    forcePathStyle: true,
    checksumMode: 'WHEN_REQUIRED',
    conditionalWrites: true,
    acls: false,
    maxSinglePutBytes: 5 * GiB,
    storageClasses: ['STANDARD', 'STANDARD_IA'],
    publicUrl: null,
  },
  wasabi: {
    label: 'Wasabi',
    endpoint: ({ region }) => (region ? `https://s3.${region}.wasabisys.com` : null),
    defaultRegion: 'us-east-1',
    regionFixed: false,
    forcePathStyle: false,
    checksumMode: 'WHEN_REQUIRED',
    conditionalWrites: false,
    acls: true,
    maxSinglePutBytes: 5 * GiB,
    storageClasses: ['STANDARD'],
    publicUrl: null,
  },
  gcs: {
    label: 'Google Cloud Storage (HMAC)',
    endpoint: () => 'https://storage.googleapis.com',
    defaultRegion: 'auto',
    regionFixed: true,
    forcePathStyle: true,
    checksumMode: 'WHEN_REQUIRED',
    conditionalWrites: false, // create-only needs x-goog-if-generation-match, not If-None-Match
    acls: true,
    maxSinglePutBytes: 5 * GiB,
    storageClasses: ['STANDARD', 'NEARLINE', 'COLDLINE', 'ARCHIVE'],
    publicUrl: null,
  },
  spaces: {
    label: 'DigitalOcean Spaces',
    endpoint: ({ region }) => (region ? `https://${region}.digitaloceanspaces.com` : null),
    defaultRegion: null,
    regionFixed: false,
    forcePathStyle: false,
    checksumMode: 'WHEN_REQUIRED',
    conditionalWrites: false,
    acls: true,
    maxSinglePutBytes: 5 * 10 ** 9,
    storageClasses: ['STANDARD'],
    publicUrl: ({ bucket, region }) => `https://${bucket}.${region ?? ''}.cdn.digitaloceanspaces.com`,
  },
  b2: {
    label: 'Backblaze B2',
    endpoint: ({ region }) => (region ? `https://s3.${region}.backblazeb2.com` : null),
    defaultRegion: null,
    regionFixed: false,
    forcePathStyle: false,
    checksumMode: 'WHEN_REQUIRED',
    conditionalWrites: false, // reported "not implemented"
    acls: true,
    maxSinglePutBytes: 5 * GiB,
    storageClasses: ['STANDARD'],
    publicUrl: null,
  },
  linode: {
    label: 'Linode / Akamai',
    endpoint: ({ region }) => (region ? `https://${region}.linodeobjects.com` : null),
    defaultRegion: null,
    regionFixed: false,
    forcePathStyle: false,
    checksumMode: 'WHEN_REQUIRED',
    conditionalWrites: false,
    acls: true,
    maxSinglePutBytes: 5 * GiB,
    storageClasses: ['STANDARD'],
    publicUrl: null,
  },
  minio: {
    label: 'MinIO / other S3-compatible',
    endpoint: () => null, // always the user's endpoint
    defaultRegion: 'us-east-1',
    regionFixed: false,
    forcePathStyle: true,
    checksumMode: 'WHEN_REQUIRED',
    conditionalWrites: true,
    acls: true,
    maxSinglePutBytes: 5 * GiB,
    storageClasses: ['STANDARD'],
    publicUrl: null,
  },
};

export const providerTypes = Object.keys(providerCatalog) as ProviderType[];
