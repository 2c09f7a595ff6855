/** Maps an `app://offload/…` request to a file inside the built renderer folder, or refuses it. */
import { join, normalize, sep } from 'node:path';

/** Resolves a request path inside `root`, or null when it would escape it. */
export function resolveInside(root: string, requestPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return null; // malformed escapes are refused, not thrown
  }
  const relative = decoded.replace(/^\/+/, '') || 'index.html';
  const full = normalize(join(root, relative));
  return full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : null;
}
