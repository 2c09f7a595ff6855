/**
 * The S3 servers every S3 integration suite runs against, as a matrix (issue "A real S3 implementation
 * in the test lab"): s3rver behind our checking front, and Ceph RGW, the gateway real deployments run.
 * A behaviour only one of them shows is named in `quirks`, so the difference stays visible in the tests.
 */
import { CreateBucketCommand, PutBucketPolicyCommand, type S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import { rgwUsers } from './rgw/users';
import { labClient, startS3Lab } from './s3-lab/index.ts';
import type { LabUser } from './s3-lab/sigv4.ts';

export interface LabQuirks {
  /** Refuses a signature made for another region (RGW's default zonegroup accepts any). */
  checksRegion: boolean;
  /** ETag of a multipart object: md5 of the part md5s + `-N` (S3, RGW), or the whole file's MD5 (s3rver). */
  multipartEtag: 'parts' | 'whole-md5';
  /** Knows users with partial rights and bucket policies. */
  policies: boolean;
  /** Longest last key segment it can store (s3rver keeps each object as files named `<name>._S3rver_metadata.json` and alike). */
  maxNameBytes: number;
}

export interface LabServer {
  name: 's3rver' | 'ceph-rgw';
  endpoint: string;
  region: string;
  users: { main: LabUser; other: LabUser; writer?: LabUser };
  /** A client for the main user (path-style, WHEN_REQUIRED checksums), optionally overridden. */
  client(overrides?: Partial<S3ClientConfig>): S3Client;
  createBucket(name: string): Promise<void>;
  /** Lets anonymous GET read a bucket's objects (a public bucket or CDN origin). */
  makePublic(bucket: string): Promise<void>;
  stop(): Promise<void>;
  quirks: LabQuirks;
}

const s3rverQuirks: LabQuirks = { checksRegion: true, multipartEtag: 'whole-md5', policies: false, maxNameBytes: 255 - '._S3rver_metadata.json'.length };
const rgwQuirks: LabQuirks = { checksRegion: false, multipartEtag: 'parts', policies: true, maxNameBytes: 1024 };

function rgwServer(endpoint: string): LabServer {
  const region = 'us-east-1';
  const clients: S3Client[] = [];
  const client = (overrides: Partial<S3ClientConfig> = {}): S3Client => {
    const c = labClient(endpoint, region, rgwUsers.main, overrides);
    clients.push(c);
    return c;
  };
  return {
    name: 'ceph-rgw',
    endpoint,
    region,
    users: rgwUsers,
    client,
    async createBucket(name) {
      await client().send(new CreateBucketCommand({ Bucket: name }));
    },
    async makePublic(bucket) {
      const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] };
      await client().send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
    },
    async stop() {
      clients.forEach((c) => c.destroy()); // the cluster itself belongs to the global setup
    },
    quirks: rgwQuirks,
  };
}

/** Starts (s3rver) or connects to (RGW, started once per tier by the global setup) a lab server. */
export const labServers: { name: LabServer['name']; quirks: LabQuirks; start: () => Promise<LabServer> }[] = [
  {
    name: 's3rver',
    quirks: s3rverQuirks,
    start: async () => ({ ...(await startS3Lab()), name: 's3rver', quirks: s3rverQuirks }),
  },
  {
    name: 'ceph-rgw',
    quirks: rgwQuirks,
    start: async () => {
      const rgw = inject('rgw');
      if ('unavailable' in rgw) throw new Error(rgw.unavailable);
      return rgwServer(rgw.endpoint);
    },
  },
];

/** Starts (or connects to) one lab server by name. */
export const startLab = (name: LabServer['name']): Promise<LabServer> => labServers.find((s) => s.name === name)!.start();

/** A bucket name no other test (or earlier run against the shared RGW) has used. */
export const uniqueBucket = (prefix: string): string => `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
