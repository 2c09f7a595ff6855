/**
 * The ledger's table, its row ↔ record mapping, and the WHERE clause of the log's queries (ledger.ts
 * runs them).
 */
import type { SQLInputValue } from 'node:sqlite';
import type { FileRecord, FileState } from '../../shared/ledger';
import { kindExtensions, type MediaKind } from '../../shared/media-kinds';

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS files (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  watch_root TEXT NOT NULL,
  rel_path TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime_ms REAL NOT NULL,
  sha256 TEXT,
  state TEXT NOT NULL,
  provider_id TEXT,
  bucket TEXT,
  key TEXT,
  url TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  error_code TEXT,
  timestamps TEXT NOT NULL DEFAULT '{}',
  upload_id TEXT,
  part_size INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS files_by_path ON files (path, id);
CREATE INDEX IF NOT EXISTS files_by_state ON files (state);
-- The bucket view's "in your library" (Ledger.knownObjects): rows by the object they point at.
CREATE INDEX IF NOT EXISTS files_by_object ON files (key, provider_id);
CREATE TABLE IF NOT EXISTS transitions (
  file_id INTEGER NOT NULL,
  state TEXT NOT NULL,
  at INTEGER NOT NULL,
  detail TEXT
);
CREATE INDEX IF NOT EXISTS transitions_by_file ON transitions (file_id);
CREATE TABLE IF NOT EXISTS watch_roots (path TEXT PRIMARY KEY, first_seen_at INTEGER NOT NULL);
-- A move between storages in progress, one row per file (move-journal.ts): what a stopped or killed
-- run left to finish (a multipart upload to abort, a source object to delete).
CREATE TABLE IF NOT EXISTS moves (
  file_id INTEGER PRIMARY KEY,
  from_provider TEXT NOT NULL,
  to_provider TEXT NOT NULL,
  delete_source INTEGER NOT NULL,
  phase TEXT NOT NULL,
  from_bucket TEXT,
  from_key TEXT,
  upload_key TEXT,
  upload_id TEXT,
  kept_code TEXT,
  started_at INTEGER NOT NULL
);
-- Files and folders kept on this computer whatever the retention policy says (pins.ts).
CREATE TABLE IF NOT EXISTS pins (path TEXT PRIMARY KEY, pinned_at INTEGER NOT NULL);
-- One row rewritten with an fsync when old commits must be made durable (Ledger.makeDurable).
CREATE TABLE IF NOT EXISTS durable_marks (id INTEGER PRIMARY KEY, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS provider_facts (
  provider_id TEXT NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  learned_at INTEGER NOT NULL,
  PRIMARY KEY (provider_id, name)
);
`;

export interface Row {
  id: number;
  path: string;
  watch_root: string;
  rel_path: string;
  size: number;
  mtime_ms: number;
  sha256: string | null;
  state: FileState;
  provider_id: string | null;
  bucket: string | null;
  key: string | null;
  url: string | null;
  attempts: number;
  last_error: string | null;
  error_code: string | null;
  timestamps: string;
  upload_id: string | null;
  part_size: number | null;
  updated_at: number;
}

/** Fields a state change may set alongside the state. */
export interface RecordPatch {
  /** A restored copy that had to go beside a different file (restore.ts): the row follows it. */
  path?: string;
  relPath?: string;
  size?: number;
  mtimeMs?: number;
  sha256?: string | null;
  providerId?: string | null;
  bucket?: string | null;
  key?: string | null;
  url?: string | null;
  attempts?: number;
  lastError?: string | null;
  errorCode?: string | null;
  uploadId?: string | null;
  partSize?: number | null;
}

export const columns: Record<keyof RecordPatch, string> = {
  path: 'path',
  relPath: 'rel_path',
  size: 'size',
  mtimeMs: 'mtime_ms',
  sha256: 'sha256',
  providerId: 'provider_id',
  bucket: 'bucket',
  key: 'key',
  url: 'url',
  attempts: 'attempts',
  lastError: 'last_error',
  errorCode: 'error_code',
  uploadId: 'upload_id',
  partSize: 'part_size',
};

/** Columns added after the first schema, with their definitions (added in place on open). */
export const addedColumns: [string, string][] = [['part_size', 'INTEGER']];

export interface ListQuery {
  states?: FileState[];
  /** Part of the path relative to the watch folder (case-insensitive for ASCII). */
  search?: string;
  providerId?: string;
  /** Epoch ms bounds on the row's last change. */
  since?: number;
  until?: number;
  /** Files found under this watch folder. */
  watchRoot?: string;
  /** Files of these kinds, by extension (shared/media-kinds.ts). */
  kinds?: MediaKind[];
  /** Only files with an entry in the moves journal (a move is working on them now). */
  moving?: boolean;
  limit?: number;
  offset?: number;
}

export function whereClause(query: ListQuery): { sql: string; values: SQLInputValue[] } {
  const where: string[] = [];
  const values: SQLInputValue[] = [];
  if (query.states?.length) {
    where.push(`state IN (${query.states.map(() => '?').join(',')})`);
    values.push(...query.states);
  }
  if (query.search) {
    where.push("rel_path LIKE ? ESCAPE '\\'");
    values.push(`%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  if (query.providerId) {
    where.push('provider_id = ?');
    values.push(query.providerId);
  }
  if (query.since !== undefined) {
    where.push('updated_at >= ?');
    values.push(query.since);
  }
  if (query.until !== undefined) {
    where.push('updated_at <= ?');
    values.push(query.until);
  }
  if (query.watchRoot !== undefined) {
    where.push('watch_root = ?');
    values.push(query.watchRoot);
  }
  if (query.kinds?.length) {
    const kinds = kindCondition(query.kinds);
    where.push(kinds.sql);
    values.push(...kinds.values);
  }
  if (query.moving) where.push('id IN (SELECT file_id FROM moves)');
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', values };
}

/** Any name ending in one of the extensions (LIKE is case-insensitive for ASCII, as extensions are). */
function endsWithAny(extensions: readonly string[]): { sql: string; values: string[] } {
  return { sql: `(${extensions.map(() => 'rel_path LIKE ?').join(' OR ')})`, values: extensions.map((e) => `%.${e}`) };
}

/** Names of any of the kinds; "other" is a name that is neither an image's nor a video's. */
function kindCondition(kinds: readonly MediaKind[]): { sql: string; values: string[] } {
  const parts = [...new Set(kinds)].map((kind) => {
    if (kind !== 'other') return endsWithAny(kindExtensions[kind]);
    const known = endsWithAny([...kindExtensions.image, ...kindExtensions.video]);
    return { sql: `NOT ${known.sql}`, values: known.values };
  });
  return { sql: `(${parts.map((p) => p.sql).join(' OR ')})`, values: parts.flatMap((p) => p.values) };
}

export const toRecord = (r: Row): FileRecord => ({
  id: r.id,
  path: r.path,
  watchRoot: r.watch_root,
  relPath: r.rel_path,
  size: r.size,
  mtimeMs: r.mtime_ms,
  sha256: r.sha256,
  state: r.state,
  providerId: r.provider_id,
  bucket: r.bucket,
  key: r.key,
  url: r.url,
  attempts: r.attempts,
  lastError: r.last_error,
  errorCode: r.error_code,
  timestamps: JSON.parse(r.timestamps) as FileRecord['timestamps'],
  updatedAt: r.updated_at,
});

