/**
 * The object key for a file: key prefix + path relative to the watch folder (forward slashes, Unicode
 * NFC), or a user template. No key can escape the prefix: `.` and `..` segments are refused and empty
 * segments dropped (PRODUCT.md §4, RELIABILITY.md case 15).
 */
import { hostname } from 'node:os';
import { CoreError } from '../errors';

export interface KeyInput {
  prefix: string;
  template?: string | null | undefined;
  relPath: string;
  sha256: string;
  mtimeMs: number;
}

/** No safe object key can be made for a file (the file is failed, never uploaded elsewhere). */
export class KeyError extends CoreError {
  constructor(message: string) {
    super('bad-key', message, 'Rename the file, or change the key prefix or key template of the provider.');
  }
}

const MAX_KEY_BYTES = 1024;

function cleanSegments(path: string, what: string): string[] {
  const segments = path.normalize('NFC').split(/[\\/]+/).filter((s) => s !== '');
  for (const s of segments) {
    if (s === '.' || s === '..') throw new KeyError(`${what} "${path}" has a "${s}" segment, which could escape the key prefix`);
  }
  return segments;
}

export function buildKey(input: KeyInput): string {
  const prefix = cleanSegments(input.prefix, 'key prefix');
  const rel = cleanSegments(input.relPath, 'relative path');
  const name = rel.at(-1) ?? '';
  const dot = name.lastIndexOf('.');
  const date = new Date(input.mtimeMs);
  const pad = (n: number): string => String(n).padStart(2, '0');
  let body: string[];
  if (input.template) {
    const tokens: Record<string, string> = {
      prefix: '', // the prefix is always prepended; the token only marks where it stands
      relpath: rel.join('/'),
      name: dot > 0 ? name.slice(0, dot) : name,
      ext: dot > 0 ? name.slice(dot + 1) : '',
      yyyy: String(date.getUTCFullYear()),
      mm: pad(date.getUTCMonth() + 1),
      dd: pad(date.getUTCDate()),
      hash8: input.sha256.slice(0, 8),
      host: hostname().normalize('NFC'),
    };
    const expanded = input.template.replace(/\{(\w+)\}/g, (whole, token: string) => {
      if (!(token in tokens)) throw new KeyError(`key template has an unknown token ${whole} (known: ${Object.keys(tokens).map((t) => `{${t}}`).join(' ')})`);
      return tokens[token]!;
    });
    body = cleanSegments(expanded, 'key template result');
  } else {
    body = rel;
  }
  if (body.length === 0) throw new KeyError(`key for "${input.relPath}" is empty`);
  const key = [...prefix, ...body].join('/');
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new KeyError(`key for "${input.relPath}" is ${Buffer.byteLength(key)} bytes; S3 allows ${MAX_KEY_BYTES}`);
  return key;
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
