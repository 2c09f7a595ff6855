/**
 * Object keys on this computer: the shared, pure key rules (src/shared/object-key.ts) with this host's
 * name, the keep-both names, and public links.
 */
import { hostname } from 'node:os';
import { objectKey, type KeyInput as SharedKeyInput } from '../../shared/object-key';
import { CoreError } from '../errors';

export type KeyInput = Omit<SharedKeyInput, 'host'>;

/** No safe object key can be made for a file (the file is failed, never uploaded elsewhere). */
export class KeyError extends CoreError {
  constructor(message: string) {
    super('bad-key', message, 'Rename the file, or change the key prefix or key template of the provider.');
  }
}

/** The key for a file on this computer; throws KeyError when none can be made. */
export function buildKey(input: KeyInput): string {
  const result = objectKey({ ...input, host: hostname() });
  if (!result.ok) throw new KeyError(result.message);
  return result.key;
}

/** `dir/name.ext` → `dir/name-2.ext`: the keep-both name for the n-th conflict. */
export function suffixedKey(key: string, n: number): string {
  const slash = key.lastIndexOf('/');
  const name = key.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  return `${key.slice(0, slash + 1)}${stem}-${n}${ext}`;
}

/** The public link for a key under a public / CDN base URL, each segment percent-encoded. */
export function publicUrlFor(base: string, key: string): string {
  return `${base.replace(/\/+$/, '')}/${key.split('/').map(encodeURIComponent).join('/')}`;
}
