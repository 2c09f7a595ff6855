/**
 * ListMultipartUploads, ListParts and AbortMultipartUpload, which s3rver 3.7 lacks, served from
 * s3rver's own upload folders: <dir>/<bucket>/._S3rver_uploads/<uploadId>/ holds `key`, `metadata`,
 * and each part `N` with `N.md5`.
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { escapeXml, sendError, sendXml } from './xml.ts';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

const uploadsDir = (root: string, bucket: string): string => join(root, bucket, '._S3rver_uploads');

async function readKey(dir: string): Promise<string | null> {
  try {
    return await readFile(join(dir, 'key'), 'utf8');
  } catch {
    return null;
  }
}

export async function listMultipartUploads(root: string, bucket: string, prefix: string, res: ServerResponse): Promise<void> {
  let ids: string[] = [];
  try {
    ids = await readdir(uploadsDir(root, bucket));
  } catch {
    // no uploads folder: no uploads in progress
  }
  const uploads: string[] = [];
  for (const id of ids.sort()) {
    const dir = join(uploadsDir(root, bucket), id);
    const key = await readKey(dir);
    if (key === null || !key.startsWith(prefix)) continue;
    const { birthtime } = await stat(dir);
    uploads.push(
      `<Upload><Key>${escapeXml(key)}</Key><UploadId>${escapeXml(id)}</UploadId><Initiated>${birthtime.toISOString()}</Initiated><StorageClass>STANDARD</StorageClass></Upload>`,
    );
  }
  sendXml(
    res,
    200,
    `<ListMultipartUploadsResult xmlns="${NS}"><Bucket>${escapeXml(bucket)}</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker><Prefix>${escapeXml(prefix)}</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>${uploads.join('')}</ListMultipartUploadsResult>`,
  );
}

async function uploadDirFor(root: string, bucket: string, key: string, uploadId: string, res: ServerResponse): Promise<string | null> {
  const dir = join(uploadsDir(root, bucket), uploadId.replace(/[/\\]/g, '_'));
  if ((await readKey(dir)) !== key) {
    sendError(res, 404, 'NoSuchUpload', 'The specified upload does not exist.', { UploadId: uploadId });
    return null;
  }
  return dir;
}

export async function listParts(root: string, bucket: string, key: string, uploadId: string, res: ServerResponse): Promise<void> {
  const dir = await uploadDirFor(root, bucket, key, uploadId, res);
  if (!dir) return;
  const numbers = (await readdir(dir)).filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
  const parts: string[] = [];
  for (const n of numbers) {
    const [{ size, mtime }, md5] = await Promise.all([stat(join(dir, String(n))), readFile(join(dir, `${n}.md5`), 'utf8').catch(() => '')]);
    parts.push(`<Part><PartNumber>${n}</PartNumber><LastModified>${mtime.toISOString()}</LastModified><ETag>"${md5.trim()}"</ETag><Size>${size}</Size></Part>`);
  }
  sendXml(
    res,
    200,
    `<ListPartsResult xmlns="${NS}"><Bucket>${escapeXml(bucket)}</Bucket><Key>${escapeXml(key)}</Key><UploadId>${escapeXml(uploadId)}</UploadId><PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>${numbers.at(-1) ?? 0}</NextPartNumberMarker><MaxParts>1000</MaxParts><IsTruncated>false</IsTruncated>${parts.join('')}</ListPartsResult>`,
  );
}

export async function abortMultipartUpload(root: string, bucket: string, key: string, uploadId: string, res: ServerResponse): Promise<void> {
  const dir = await uploadDirFor(root, bucket, key, uploadId, res);
  if (!dir) return;
  await rm(dir, { recursive: true, force: true });
  res.writeHead(204);
  res.end();
}
