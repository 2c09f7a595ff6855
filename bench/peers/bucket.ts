/** What a tool left in the bucket (checked after each run, outside the timing), and clearing it. */
import { DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

export async function listPrefix(client: S3Client, bucket: string, prefix: string): Promise<{ key: string; size: number }[]> {
  const all: { key: string; size: number }[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/`, ContinuationToken: token }));
    for (const o of page.Contents ?? []) all.push({ key: o.Key!, size: o.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return all;
}

export async function emptyPrefix(client: S3Client, bucket: string, prefix: string): Promise<void> {
  const keys = await listPrefix(client, bucket, prefix);
  for (let i = 0; i < keys.length; i += 1000) {
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.slice(i, i + 1000).map((k) => ({ Key: k.key })), Quiet: true } }));
  }
}
