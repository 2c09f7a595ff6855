/**
 * A file's kind — image, video or other — told by its extension alone, so the gallery's type filter is
 * one SQL condition over the ledger's names (ledger-schema.ts whereClause) and the window can pick a
 * placeholder without reading the file. The lists are what creators' tools write, not what the
 * thumbnailer can decode: an EXR is an image even when no preview can be made of it.
 */

export const mediaKinds = ['image', 'video', 'other'] as const;
export type MediaKind = (typeof mediaKinds)[number];

/** Lower-case extensions without the dot, per kind; "other" is every name matching neither list. */
export const kindExtensions: Readonly<Record<Exclude<MediaKind, 'other'>, readonly string[]>> = {
  image: ['png', 'jpg', 'jpeg', 'webp', 'avif', 'gif', 'tif', 'tiff', 'bmp', 'heic', 'heif', 'exr', 'hdr', 'psd', 'svg'],
  video: ['mp4', 'mov', 'webm', 'mkv', 'm4v', 'avi', 'mxf', 'mpg', 'mpeg'],
};

/** The extension of a name or path, lower-case, without the dot ("" when it has none). */
export function extensionOf(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

export function kindOf(name: string): MediaKind {
  const ext = extensionOf(name);
  if (kindExtensions.image.includes(ext)) return 'image';
  if (kindExtensions.video.includes(ext)) return 'video';
  return 'other';
}
