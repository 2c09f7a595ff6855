/**
 * A file's picture in the gallery: the thumbnail (`media/thumb/<id>`) or the full preview
 * (`media/preview/<id>`), both served by main on the app's own origin, so the page's
 * Content-Security-Policy stays as it is. Until one can be had — not made yet, a kind that has none, a
 * server without the route — a placeholder names the file's type instead, so the gallery works either way.
 */
import { useState } from 'react';
import { extensionOf, kindOf, type MediaKind } from '../../../../shared/media-kinds';

const kindWords: Record<MediaKind, string> = { image: 'Image', video: 'Video', other: 'File' };

/** The picture's URL, relative to the page (app://offload/ in the app, the test server in e2e). */
export const mediaUrl = (what: 'thumb' | 'preview', id: number): string => `media/${what}/${id}`;

interface Props {
  id: number;
  /** The file's name: its extension picks the placeholder. */
  name: string;
  what: 'thumb' | 'preview';
  /** The picture's alternative text; empty where the name is beside it already. */
  alt: string;
}

export function Thumbnail({ id, name, what, alt }: Props): React.JSX.Element {
  const [failed, setFailed] = useState(false);
  const kind = kindOf(name);
  if (failed) {
    return (
      <span className={`media-placeholder media-${kind}`} data-testid={`${what}-placeholder`} {...(alt ? { role: 'img', 'aria-label': alt } : { 'aria-hidden': true })}>
        <span className="media-ext">{extensionOf(name).toUpperCase() || kindWords[kind]}</span>
        {what === 'preview' ? <span className="media-note">No preview yet</span> : null}
      </span>
    );
  }
  return <img className="media-img" src={mediaUrl(what, id)} alt={alt} loading="lazy" decoding="async" draggable={false} onError={() => setFailed(true)} data-testid={`${what}-image`} />;
}
