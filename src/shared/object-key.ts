/**
 * The object key for a file: key prefix + path relative to the watch folder (forward slashes, Unicode
 * NFC), or a user template. No key can escape the prefix: `.` and `..` segments are refused and empty
 * segments dropped (PRODUCT.md §4, RELIABILITY.md case 15). Pure, so the engine builds keys with it and
 * the provider form shows a live example of the key a template produces.
 */

export interface KeyInput {
  prefix: string;
  template?: string | null | undefined;
  relPath: string;
  sha256: string;
  mtimeMs: number;
  /** This computer's name, for `{host}`. */
  host: string;
}

export type KeyResult = { ok: true; key: string } | { ok: false; message: string };

/** The tokens a key template may use, each with what it stands for. */
export const keyTemplateTokens = {
  prefix: 'where the key prefix stands (it is always prepended)',
  relpath: 'the path relative to the watch folder',
  name: 'the file name without its extension',
  ext: 'the extension, without the dot',
  yyyy: 'the year the file was last modified (UTC)',
  mm: 'its month, 01–12',
  dd: 'its day, 01–31',
  hash8: 'the first 8 hex digits of its SHA-256',
  host: "this computer's name",
} as const;

const MAX_KEY_BYTES = 1024;

class Refused extends Error {}

function cleanSegments(path: string, what: string): string[] {
  const segments = path.normalize('NFC').split(/[\\/]+/).filter((s) => s !== '');
  for (const s of segments) {
    if (s === '.' || s === '..') throw new Refused(`${what} "${path}" has a "${s}" segment, which could escape the key prefix`);
  }
  return segments;
}

function expand(input: KeyInput): string {
  const prefix = cleanSegments(input.prefix, 'key prefix');
  const rel = cleanSegments(input.relPath, 'relative path');
  const name = rel.at(-1) ?? '';
  const dot = name.lastIndexOf('.');
  const date = new Date(input.mtimeMs);
  const pad = (n: number): string => String(n).padStart(2, '0');
  let body: string[];
  if (input.template) {
    const tokens: Record<keyof typeof keyTemplateTokens, string> = {
      prefix: '',
      relpath: rel.join('/'),
      name: dot > 0 ? name.slice(0, dot) : name,
      ext: dot > 0 ? name.slice(dot + 1) : '',
      yyyy: String(date.getUTCFullYear()),
      mm: pad(date.getUTCMonth() + 1),
      dd: pad(date.getUTCDate()),
      hash8: input.sha256.slice(0, 8),
      host: input.host.normalize('NFC'),
    };
    const expanded = input.template.replace(/\{(\w+)\}/g, (whole, token: string) => {
      if (!Object.hasOwn(tokens, token)) throw new Refused(`key template has an unknown token ${whole} (known: ${Object.keys(tokens).map((t) => `{${t}}`).join(' ')})`);
      return tokens[token as keyof typeof tokens];
    });
    body = cleanSegments(expanded, 'key template result');
  } else {
    body = rel;
  }
  if (body.length === 0) throw new Refused(`key for "${input.relPath}" is empty`);
  const key = [...prefix, ...body].join('/');
  const bytes = new TextEncoder().encode(key).length;
  if (bytes > MAX_KEY_BYTES) throw new Refused(`key for "${input.relPath}" is ${bytes} bytes; S3 allows ${MAX_KEY_BYTES}`);
  return key;
}

/** The key, or why none can be made. */
export function objectKey(input: KeyInput): KeyResult {
  try {
    return { ok: true, key: expand(input) };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, message: error.message };
    throw error;
  }
}
