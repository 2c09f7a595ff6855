/**
 * The thumbnail of a file without a picture (a document, an archive, a corrupt image, a video where no
 * ffmpeg is installed): an SVG drawn here, a page with a folded corner and the file's extension. Made in
 * code so nothing is read from disk; the label is reduced to letters and digits, so no file name can put
 * markup into it.
 */
import { extensionOf, mediaKindOf, type MediaKind } from './media-kind';

/** Fill of the page's band, per kind: readable on the light and the dark theme alike. */
const bandColour: Readonly<Record<MediaKind, string>> = { image: '#2f7d5b', video: '#6a4fb3', other: '#56606b' };

/** The icon of `name` as SVG bytes (320 × 320, the thumbnails' bound). */
export function typeIconSvg(name: string): Buffer {
  const label = extensionOf(name).replace(/[^a-z0-9]/g, '').slice(0, 5).toUpperCase() || 'FILE';
  const band = bandColour[mediaKindOf(name)];
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="320" viewBox="0 0 320 320">` +
    `<path d="M90 40h100l50 50v190H90z" fill="#f4f5f7" stroke="#9aa3ad" stroke-width="6" stroke-linejoin="round"/>` +
    `<path d="M190 40v50h50" fill="#dde1e6" stroke="#9aa3ad" stroke-width="6" stroke-linejoin="round"/>` +
    `<rect x="70" y="170" width="150" height="64" rx="10" fill="${band}"/>` +
    `<text x="145" y="214" font-family="system-ui, sans-serif" font-size="34" font-weight="700" fill="#ffffff" text-anchor="middle">${label}</text>` +
    `</svg>`;
  return Buffer.from(svg, 'utf8');
}

export const ICON_CONTENT_TYPE = 'image/svg+xml';
