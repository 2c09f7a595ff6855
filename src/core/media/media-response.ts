/**
 * What the media routes answer: a status, a content type, the bytes (whole, or a stream for a preview
 * from disk or the bucket) and how long the window may keep them. The servers (main's app:// handler,
 * the test bridge) add the security headers; nothing here is a header they must trust.
 */
import type { Readable } from 'node:stream';
import { ICON_CONTENT_TYPE, typeIconSvg } from './type-icon';

export interface MediaResponse {
  status: number;
  contentType: string;
  body: Buffer | Readable;
  cacheControl: string;
}

/** A picture that will not change for this file id (a made thumbnail, a settled icon). */
const KEEP = 'private, max-age=86400';
/** May change soon (an icon while the thumbnail cannot be made yet, a file's own bytes). */
const FRESH = 'no-store';

export const picture = (contentType: string, body: Buffer | Readable, settled: boolean): MediaResponse => ({ status: 200, contentType, body, cacheControl: settled ? KEEP : FRESH });

/** The type icon of `name`; `settled` when no picture will ever replace it. */
export const icon = (name: string, settled: boolean): MediaResponse => picture(ICON_CONTENT_TYPE, typeIconSvg(name), settled);

export const failure = (status: number, message: string): MediaResponse => ({ status, contentType: 'text/plain; charset=utf-8', body: Buffer.from(message, 'utf8'), cacheControl: FRESH });
