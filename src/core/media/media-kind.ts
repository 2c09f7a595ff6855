/**
 * What a file is, for thumbnails and previews, by its extension: an image the decoder reads, a video
 * ffmpeg takes a poster frame from, or anything else (a type icon). Deliberately short lists: a format
 * not named here gets the icon, never a guess at a decoder. SVG is "other" on purpose: a user's SVG is a
 * document that can carry script, and it is never served from the window's own origin.
 */

export type MediaKind = 'image' | 'video' | 'other';

const imageExtensions: ReadonlySet<string> = new Set(['png', 'jpg', 'jpeg', 'webp', 'avif', 'gif', 'tif', 'tiff']);
const videoExtensions: ReadonlySet<string> = new Set(['mp4', 'm4v', 'mov', 'webm', 'mkv']);

/**
 * Images Chromium shows as they are: a preview sends their bytes untouched. Others (TIFF) are converted
 * to WebP for the preview.
 */
const browserImageTypes: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
};

/** The lower-case extension of a file name, without the dot ('' when there is none). */
export function extensionOf(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

export function mediaKindOf(name: string): MediaKind {
  const ext = extensionOf(name);
  if (imageExtensions.has(ext)) return 'image';
  if (videoExtensions.has(ext)) return 'video';
  return 'other';
}

/** The content type a preview of this image may be sent as unchanged, or null when it must be converted. */
export function browserImageType(name: string): string | null {
  return browserImageTypes[extensionOf(name)] ?? null;
}
