/**
 * The provider catalog: one declarative entry per provider type (PRODUCT.md §1, PROVIDERS.md). Every
 * provider quirk the engine needs lives here, never in `if` chains elsewhere.
 */

export type ProviderType = 'aws' | 'r2' | 'wasabi' | 'gcs' | 'spaces' | 'b2' | 'linode' | 'minio';

/** How the AWS SDK computes and validates its own checksums for this provider. */
export type ChecksumMode = 'WHEN_SUPPORTED' | 'WHEN_REQUIRED';

/** A provider-specific field the settings screen shows and validation requires. */
export type ProviderField = 'accessKeyId' | 'region' | 'endpoint' | 'accountId';

export interface ProviderEntry {
  label: string;
  /** Fields that must be filled for this provider (bucket and secret always are). */
  required: readonly ProviderField[];
  /** Regions the provider publishes, when it does; a region outside the list is refused. */
  regions: readonly string[] | null;
  /** Pattern a region must match when there is no list. */
  regionPattern: RegExp | null;
  /** GCS allows underscores and longer dotted names; everyone else follows S3's rules. */
  bucketRules: 's3' | 'gcs';
  /** Whether credentials may come from the AWS SDK's default chain instead of a stored secret. */
  defaultCredentialChain: boolean;
  /**
   * Where the endpoint comes from when the user gives none: the SDK (from the region), the region, the
   * account id, one fixed URL, or nowhere (the user must give it).
   */
  endpointFrom: 'sdk' | 'region' | 'accountId' | 'fixed' | 'user';
  /** Endpoint from the provider's settings, or null when the user must give one. */
  endpoint: (p: { region?: string | undefined; accountId?: string | undefined }) => string | null;
  /** The account id field, for providers whose endpoint is per account (R2); null elsewhere. */
  accountId: { pattern: RegExp; message: string; hint: string } | null;
  /** Region to sign with when the user gives none (R2 and GCS always sign as `auto`). */
  defaultRegion: string | null;
  /** True when the region is fixed by the provider and the user's value is ignored. */
  regionFixed: boolean;
  forcePathStyle: boolean;
  checksumMode: ChecksumMode;
  /** Honours `If-None-Match: *` on PutObject and CompleteMultipartUpload. */
  conditionalWrites: boolean;
  /** Largest single PUT the provider accepts, in bytes. */
  maxSinglePutBytes: number;
  storageClasses: readonly string[];
  /** The provider's own CDN URL for a bucket, offered in the form as the public URL (Spaces), else null. */
  cdnUrl: ((p: { bucket: string; region?: string | undefined }) => string | null) | null;
  /**
   * When the provider legitimately answers HEAD with an ETag that is not an MD5 of the bytes, and what
   * verification then relies on instead (offload/remote-match.ts). null, the default: an ETag our
   * digests do not predict fails verification, because size and our SHA-256 metadata alone are what
   * any server can echo back. Applies only at the provider's own endpoint, never at a custom one.
   */
  opaqueEtags: OpaqueEtags | null;
}

export interface OpaqueEtags {
  /** Which objects get an opaque ETag. */
  when: string;
  /** What proves the bytes for them instead. */
  reliesOn: string;
}

/** What the server checked on the way in: the engine sends Content-MD5 with every PUT and every part. */
const CONTENT_MD5_ON_WRITE =
  'Content-MD5 on the PUT and on every part, which the provider checks before it stores anything, plus size and our SHA-256 metadata on HEAD';

const GiB = 1024 ** 3;

/**
 * What most S3-compatible providers share; each entry below spreads it and states only where it differs
 * (Amazon S3 spells out everything, as the reference).
 */
const S3_COMPATIBLE = {
  regions: null,
  regionPattern: null,
  bucketRules: 's3',
  defaultCredentialChain: false,
  accountId: null,
  regionFixed: false,
  forcePathStyle: false,
  checksumMode: 'WHEN_REQUIRED',
  conditionalWrites: false,
  maxSinglePutBytes: 5 * GiB,
  storageClasses: ['STANDARD'],
  cdnUrl: null,
  opaqueEtags: null,
} as const satisfies Partial<ProviderEntry>;

export const providerCatalog: Record<ProviderType, ProviderEntry> = {
  aws: {
    label: 'Amazon S3',
    required: ['region'],
    regions: null,
    regionPattern: /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/,
    bucketRules: 's3',
    defaultCredentialChain: true,
    endpointFrom: 'sdk',
    accountId: null,
    endpoint: () => null, // the SDK derives it from the region
    defaultRegion: null,
    regionFixed: false,
    forcePathStyle: false,
    checksumMode: 'WHEN_SUPPORTED',
    conditionalWrites: true,
    maxSinglePutBytes: 5 * GiB,
    storageClasses: ['STANDARD', 'INTELLIGENT_TIERING', 'STANDARD_IA', 'ONEZONE_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'],
    cdnUrl: null,
    opaqueEtags: {
      when: 'objects encrypted with SSE-KMS, DSSE-KMS or SSE-C (a bucket default included)',
      reliesOn: CONTENT_MD5_ON_WRITE,
    },
  },
  r2: {
    ...S3_COMPATIBLE,
    label: 'Cloudflare R2',
    required: ['accessKeyId'],
    endpointFrom: 'accountId',
    accountId: {
      pattern: /^[0-9a-f]{32}$/,
      message: 'Account ID is the 32-character hex id from the Cloudflare dashboard',
      hint: 'The 32-character id from the Cloudflare dashboard.',
    },
    endpoint: ({ accountId }) => (accountId ? `https://${accountId}.r2.cloudflarestorage.com` : null),
    defaultRegion: 'auto',
    regionFixed: true,
    forcePathStyle: true,
    conditionalWrites: true,
    storageClasses: ['STANDARD', 'STANDARD_IA'],
  },
  wasabi: {
    ...S3_COMPATIBLE,
    label: 'Wasabi',
    required: ['accessKeyId', 'region'],
    regions: [
      'us-east-1',
      'us-east-2',
      'us-central-1',
      'us-west-1',
      'us-west-2',
      'ca-central-1',
      'eu-central-1',
      'eu-central-2',
      'eu-west-1',
      'eu-west-2',
      'eu-west-3',
      'eu-south-1',
      'ap-northeast-1',
      'ap-northeast-2',
      'ap-southeast-1',
      'ap-southeast-2',
    ],
    endpointFrom: 'region',
    endpoint: ({ region }) => (region ? `https://s3.${region}.wasabisys.com` : null),
    defaultRegion: 'us-east-1',
  },
  gcs: {
    ...S3_COMPATIBLE,
    label: 'Google Cloud Storage (HMAC)',
    required: ['accessKeyId'],
    bucketRules: 'gcs',
    endpointFrom: 'fixed',
    endpoint: () => 'https://storage.googleapis.com',
    defaultRegion: 'auto',
    regionFixed: true,
    forcePathStyle: true,
    conditionalWrites: false, // create-only needs x-goog-if-generation-match, not If-None-Match
    storageClasses: ['STANDARD', 'NEARLINE', 'COLDLINE', 'ARCHIVE'],
    opaqueEtags: {
      when: 'every multipart upload (Cloud Storage gives such objects a CRC32C, not an MD5, and an ETag not based on one)',
      reliesOn: CONTENT_MD5_ON_WRITE,
    },
  },
  spaces: {
    ...S3_COMPATIBLE,
    label: 'DigitalOcean Spaces',
    required: ['accessKeyId', 'region'],
    regions: ['nyc3', 'sfo2', 'sfo3', 'ams3', 'sgp1', 'fra1', 'blr1', 'syd1', 'tor1', 'lon1', 'atl1'],
    endpointFrom: 'region',
    endpoint: ({ region }) => (region ? `https://${region}.digitaloceanspaces.com` : null),
    defaultRegion: null,
    maxSinglePutBytes: 5 * 10 ** 9,
    cdnUrl: ({ bucket, region }) => (bucket && region ? `https://${bucket}.${region}.cdn.digitaloceanspaces.com` : null),
  },
  b2: {
    ...S3_COMPATIBLE,
    label: 'Backblaze B2',
    required: ['accessKeyId', 'region'],
    regionPattern: /^[a-z]{2}-[a-z]+-\d{3}$/,
    endpointFrom: 'region',
    endpoint: ({ region }) => (region ? `https://s3.${region}.backblazeb2.com` : null),
    defaultRegion: null,
    conditionalWrites: false, // reported "not implemented"
  },
  linode: {
    ...S3_COMPATIBLE,
    label: 'Linode / Akamai',
    required: ['accessKeyId', 'region'],
    regions: [
      'us-east-1',
      'us-southeast-1',
      'us-ord-1',
      'us-iad-1',
      'us-lax-1',
      'us-mia-1',
      'us-sea-1',
      'eu-central-1',
      'fr-par-1',
      'it-mil-1',
      'nl-ams-1',
      'se-sto-1',
      'gb-lon-1',
      'ap-south-1',
      'in-maa-1',
      'in-bom-2',
      'jp-osa-1',
      'jp-tyo-3',
      'id-cgk-1',
      'br-gru-1',
      'sg-sin-2',
      'au-mel-1',
      'es-mad-1',
    ],
    endpointFrom: 'region',
    endpoint: ({ region }) => (region ? `https://${region}.linodeobjects.com` : null),
    defaultRegion: null,
  },
  minio: {
    ...S3_COMPATIBLE,
    label: 'MinIO / other S3-compatible',
    required: ['accessKeyId', 'endpoint'],
    endpointFrom: 'user',
    endpoint: () => null, // always the user's endpoint
    defaultRegion: 'us-east-1',
    forcePathStyle: true,
    conditionalWrites: true,
  },
};

export const providerTypes = Object.keys(providerCatalog) as ProviderType[];

/** The catalog entry of a provider type (every per-provider difference is read through it). */
export function entryOf(type: string): ProviderEntry {
  const entry = (providerCatalog as Record<string, ProviderEntry | undefined>)[type];
  if (!entry) throw new Error(`unknown provider type "${type}"`);
  return entry;
}

/** True when the user must give an endpoint: the provider has none of its own, or derives it from an account id not given. */
export function needsEndpoint(entry: ProviderEntry, p: { accountId?: string | null | undefined }): boolean {
  return entry.endpointFrom === 'user' || (entry.endpointFrom === 'accountId' && !p.accountId);
}

/** What the user can fill in to get an endpoint, for messages: "accountId or endpoint", "region or endpoint". */
export function endpointSources(entry: ProviderEntry): string {
  return entry.endpointFrom === 'accountId' || entry.endpointFrom === 'region' ? `${entry.endpointFrom} or endpoint` : 'endpoint';
}
