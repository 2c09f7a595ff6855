/**
 * What the first-run setup tells a newcomer about each provider: one line on what it is and what to
 * create there, and the provider's own console pages for a bucket and an access key (opened in the
 * browser through main). The catalog (shared/providers/catalog.ts) holds what the engine needs; this
 * is words for people, so it lives with the screen that shows it.
 */
import type { ProviderType } from '../../../../shared/providers/catalog';

export interface ProviderHelp {
  /** What the provider is and what to create, in a sentence or two. */
  text: string;
  /** The console page where a bucket is made; null where there is no one console (MinIO and kin). */
  bucketUrl: string | null;
  /** The console page where an access key for the bucket is made. */
  keyUrl: string | null;
}

export const providerHelp: Record<ProviderType, ProviderHelp> = {
  aws: {
    text: 'Amazon Web Services. Create a bucket in the region nearest you, then an IAM user with an access key that may put, get and delete objects in it.',
    bucketUrl: 'https://console.aws.amazon.com/s3/bucket/create',
    keyUrl: 'https://console.aws.amazon.com/iam/home#/users',
  },
  r2: {
    text: 'Cloudflare R2: no charge for downloads. Create a bucket, then an R2 API token with Object Read & Write on it; the token page shows the access key, the secret and your account ID.',
    bucketUrl: 'https://dash.cloudflare.com/?to=/:account/r2/new',
    keyUrl: 'https://dash.cloudflare.com/?to=/:account/r2/api-tokens',
  },
  wasabi: {
    text: 'Wasabi hot cloud storage. Create a bucket and note its region, then an access key under Access Keys.',
    bucketUrl: 'https://console.wasabisys.com/file_manager',
    keyUrl: 'https://console.wasabisys.com/access_keys',
  },
  gcs: {
    text: 'Google Cloud Storage through its S3-compatible (interoperability) API. Create a bucket, then an HMAC key for a service account that may write to it.',
    bucketUrl: 'https://console.cloud.google.com/storage/create-bucket',
    keyUrl: 'https://console.cloud.google.com/storage/settings;tab=interoperability',
  },
  spaces: {
    text: 'DigitalOcean Spaces, with a built-in CDN for links. Create a Space (the bucket) in a region, then a Spaces access key.',
    bucketUrl: 'https://cloud.digitalocean.com/spaces/new',
    keyUrl: 'https://cloud.digitalocean.com/account/api/spaces',
  },
  b2: {
    text: 'Backblaze B2. Create a bucket (its endpoint names the region, such as us-west-004), then an application key with access to that bucket.',
    bucketUrl: 'https://secure.backblaze.com/b2_buckets.htm',
    keyUrl: 'https://secure.backblaze.com/app_keys.htm',
  },
  linode: {
    text: 'Linode (Akamai) Object Storage. Create a bucket in a region, then an access key limited to that bucket.',
    bucketUrl: 'https://cloud.linode.com/object-storage/buckets/create',
    keyUrl: 'https://cloud.linode.com/object-storage/access-keys',
  },
  minio: {
    text: 'Your own server or any other S3-compatible service (MinIO, Ceph, Garage…). Create a bucket and an access key in its console or admin tool, and have its endpoint URL at hand.',
    bucketUrl: null,
    keyUrl: null,
  },
};
