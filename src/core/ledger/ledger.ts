/**
 * The ledger: a durable record of every file version the companion has seen (PRODUCT.md §5), in SQLite
 * through node:sqlite, in WAL mode. Each change is atomic (a savepoint). In the engine's ledger
 * (`groupCommits`, opened by the service) the changes made in one turn of the event loop — several
 * files' states — share one transaction, committed at the end of that turn (setImmediate): half the
 * commits, though no measurable time on the small-files bench (docs/PERFORMANCE.md, 2026-12-02). This
 * process reads its own changes at once (one connection); another process (`offload status` while the
 * app runs) sees whole turns or nothing, never a torn state. Elsewhere each change is its own commit.
 * Commits use synchronous=NORMAL: the WAL is not fsynced on every commit (that cost a fsync per state per
 * file and blocked the event loop), so a crash or power cut may roll back the last few state changes
 * (a kill -9 of the engine: at most the open turn), which recovery redoes (the remote object is
 * re-checked, never assumed). A state change that a destructive step depends on (removing the local
 * copy) is committed with `durable: true` before the call returns: the open group first, then the
 * change alone with an fsync of the WAL, which makes every change before it durable too. close()
 * commits what is open.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { fileStates, finalStates, keptLocalCodes, verifiedStates, type FileRecord, type FileState, type SpaceFigures, type StateCounts, type StorageFigures } from '../../shared/ledger';
import { ADOPTED_CODE } from '../../shared/bucket';
import { createPrivateFile, restrictFiles } from '../private-files';
import { LedgerError, LedgerWriteError, privacyError } from './ledger-errors';
import { addedColumns, columns, SCHEMA, toRecord, whereClause, type RecordPatch, type Row, type ListQuery } from './ledger-schema';
import { MoveJournal } from './move-journal';
import { PinList } from './pins';

export { LedgerError, LedgerWriteError } from './ledger-errors';
export type { ListQuery, RecordPatch } from './ledger-schema';

export class Ledger {
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private closed = false;
  /** True while the transaction writing() opened is not committed yet. */
  private groupOpen = false;
  /** The end-of-turn commit of that transaction, when changes are grouped. */
  private groupTimer: NodeJS.Immediate | null = null;
  /**
   * Set when a group's commit failed: changes callers were already told of are gone, so every later
   * write is refused with it (the engine halts; a restart recovers from what was committed).
   */
  private broken: { error: LedgerWriteError; reported: boolean } | null = null;
  /** Moves between storages in progress (move-journal.ts). */
  readonly moves = new MoveJournal(
    (text) => this.sql(text),
    (work) => this.writing(work),
  );
  /** Files and folders the retention policy never removes (pins.ts). */
  readonly pins = new PinList(
    (text) => this.sql(text),
    (work) => this.writing(work),
  );

  private constructor(
    readonly file: string,
    private readonly groupCommits: boolean,
  ) {
    const companions = [`${file}-wal`, `${file}-shm`];
    try {
      // Created 0600 before SQLite would create it 0644; -wal / -shm files left by an earlier run are
      // reused by SQLite with whatever mode they have. A file we may not chmod is not ours: stop.
      createPrivateFile(file);
      restrictFiles(companions);
    } catch (error) {
      throw privacyError(file, error);
    }
    let db: DatabaseSync | null = null;
    try {
      this.db = db = new DatabaseSync(file);
      this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
      this.db.exec(SCHEMA);
      const present = new Set((this.db.prepare('PRAGMA table_info(files)').all() as { name: string }[]).map((c) => c.name));
      for (const [name, type] of addedColumns) if (!present.has(name)) this.db.exec(`ALTER TABLE files ADD COLUMN ${name} ${type}`);
    } catch (error) {
      db?.close();
      // Keep the evidence; never start over silently (RELIABILITY.md case 18).
      const backup = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      const kept = existsSync(file) ? (copyFileSync(file, backup), ` A copy was kept at ${backup}.`) : '';
      throw new LedgerError('ledger-corrupt', `${file}: the offload log cannot be read (${(error as Error).message}).${kept} Nothing was offloaded or removed.`, 'Move the file aside to start a new log.', { cause: error });
    }
    try {
      // SQLite gives a -wal / -shm it creates the database file's mode (0600 by now); checked again now
      // that opening has made both, in case one appeared between the first pass and the open.
      restrictFiles(companions);
    } catch (error) {
      this.db.close();
      throw privacyError(file, error);
    }
  }

  /**
   * `groupCommits`: the changes of one turn of the event loop share one commit (the engine's ledger,
   * opened by the service). Without it each change is committed before the call returns, as a short
   * command or a tool that writes the file directly and then copies or hands it on expects.
   */
  static open(file: string, options: { groupCommits?: boolean } = {}): Ledger {
    return new Ledger(file, options.groupCommits ?? false);
  }

  /** Records a new file version in `state`; returns it. */
  insert(input: { path: string; watchRoot: string; relPath: string; size: number; mtimeMs: number; state: FileState; detectedAt?: number } & RecordPatch): FileRecord {
    const now = Date.now();
    const timestamps: Partial<Record<FileState, number>> = { detected: input.detectedAt ?? now };
    timestamps[input.state] = now;
    let id = 0;
    this.inTransaction(() => {
      const result = this
        .sql(
          `INSERT INTO files (path, watch_root, rel_path, size, mtime_ms, state, provider_id, last_error, error_code, timestamps, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(input.path, input.watchRoot, input.relPath, input.size, input.mtimeMs, input.state, input.providerId ?? null, input.lastError ?? null, input.errorCode ?? null, JSON.stringify(timestamps), now);
      id = Number(result.lastInsertRowid);
      this.sql('INSERT INTO transitions (file_id, state, at, detail) VALUES (?, ?, ?, ?)').run(id, input.state, now, input.lastError ?? null);
    });
    return this.get(id)!;
  }

  /**
   * A prepared statement, made once per SQL text. node:sqlite frees a statement's native memory only
   * when its JS object is collected, and those objects are too small to prompt a collection: preparing
   * per call grew the process by about 24 KB per file (10,000 files: 361 MiB; docs/PERFORMANCE.md).
   */
  private sql(text: string): StatementSync {
    let statement = this.statements.get(text);
    if (!statement) this.statements.set(text, (statement = this.db.prepare(text)));
    return statement;
  }

  /**
   * One atomic change. Without `durable`, as writing() makes any change (grouped or not). With it, the
   * open group is committed first, then the change alone with synchronous=FULL — SQLite refuses to change
   * that inside a transaction — whose commit fsyncs the WAL and so every commit before it; all before
   * returning.
   */
  private inTransaction(work: () => void, durable = false): void {
    if (!durable) return this.writing(work);
    this.commitGroup();
    this.guarded(() => {
      this.refuseIfBroken();
      this.db.exec('PRAGMA synchronous = FULL');
      try {
        this.db.exec('BEGIN IMMEDIATE');
        try {
          work();
          this.db.exec('COMMIT');
        } catch (error) {
          if (this.db.isTransaction) this.db.exec('ROLLBACK');
          throw error;
        }
      } finally {
        this.db.exec('PRAGMA synchronous = NORMAL');
      }
    });
  }

  /**
   * Runs a write as one atomic change (a savepoint). With `groupCommits` it joins the transaction this
   * turn of the event loop shares, opened by its first write and committed by a setImmediate (or sooner:
   * a durable change, close); without, its own transaction is committed before returning. A write made
   * while a transaction is open (a durable one's `alongside`) is part of that transaction.
   */
  private writing<T>(write: () => T): T {
    return this.guarded(() => {
      this.refuseIfBroken();
      if (!this.db.isTransaction) {
        this.db.exec('BEGIN IMMEDIATE');
        this.groupOpen = true;
        if (this.groupCommits) this.groupTimer = setImmediate(() => this.commitAtTurnEnd());
      }
      this.db.exec('SAVEPOINT change');
      let result: T;
      try {
        result = write();
        this.db.exec('RELEASE change');
      } catch (error) {
        if (this.db.isTransaction) {
          this.db.exec('ROLLBACK TO change');
          this.db.exec('RELEASE change');
          if (!this.groupCommits) this.commitGroup(); // nothing left in it: never hold the lock
        } else if (this.groupOpen) {
          // SQLite rolled the whole transaction back (a full disk, an I/O error): the group is lost.
          this.groupLost(error);
        }
        throw error;
      }
      if (!this.groupCommits) this.commitGroup();
      return result;
    });
  }

  private commitAtTurnEnd(): void {
    try {
      this.commitGroup();
    } catch {
      // Nobody to throw to here: the next write, or close(), reports it (writeFailure).
      if (this.broken) this.broken.reported = false;
    }
  }

  /** Commits the transaction writing() opened, if any; a failed commit breaks the ledger for writes (see `broken`). */
  private commitGroup(): void {
    if (!this.groupOpen) return;
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      this.groupLost(error);
    }
    this.groupOpen = false;
    if (this.groupTimer) clearImmediate(this.groupTimer);
    this.groupTimer = null;
  }

  private groupLost(cause: unknown): never {
    if (this.groupTimer) clearImmediate(this.groupTimer);
    this.groupTimer = null;
    this.groupOpen = false;
    try {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
    } catch {
      // Nothing more to undo: the changes are gone either way, and `broken` says so.
    }
    const error = cause instanceof LedgerWriteError ? cause : new LedgerWriteError(this.file, cause);
    // Only a group holds changes whose callers were already told they were recorded.
    if (!this.groupCommits) throw error;
    this.broken ??= { error, reported: true };
    throw this.broken.error;
  }

  /**
   * The failure of a group's commit that no write has reported yet (it failed at the end of a turn, with
   * nobody to throw to), now counted as reported; else null.
   */
  writeFailure(): LedgerWriteError | null {
    if (!this.broken || this.broken.reported) return null;
    this.broken.reported = true;
    return this.broken.error;
  }

  private refuseIfBroken(): void {
    if (!this.broken) return;
    this.broken.reported = true;
    throw this.broken.error;
  }

  /** Runs a call to SQLite; any failure becomes a LedgerWriteError that names the file and the fix. */
  private guarded<T>(write: () => T): T {
    try {
      return write();
    } catch (error) {
      throw error instanceof LedgerError ? error : new LedgerWriteError(this.file, error);
    }
  }

  /**
   * Moves a file to `state`, setting the given fields in the same transaction. `durable` when a
   * destructive step follows and relies on this state surviving a power cut. `alongside` runs in the
   * same transaction (e.g. the moves journal's step that goes with the change).
   */
  transition(id: number, state: FileState, patch: RecordPatch = {}, detail?: string, options: { durable?: boolean; alongside?: () => void } = {}): FileRecord {
    const now = Date.now();
    // The state's time is set inside the stored JSON and the row comes back from the UPDATE itself: a
    // state change is one statement, not a read before and after it (four per file: docs/PERFORMANCE.md).
    const sets = ['state = ?', 'timestamps = json_set(timestamps, ?, CAST(? AS INTEGER))', 'updated_at = ?'];
    const values: SQLInputValue[] = [state, `$."${state}"`, now, now];
    for (const [field, value] of Object.entries(patch) as [keyof RecordPatch, SQLInputValue | undefined][]) {
      if (value === undefined) continue;
      sets.push(`${columns[field]} = ?`);
      values.push(value);
    }
    let row: Row | undefined;
    this.inTransaction(() => {
      row = this.sql(`UPDATE files SET ${sets.join(', ')} WHERE id = ? RETURNING *`).get(...values, id) as Row | undefined;
      if (!row) return;
      this.sql('INSERT INTO transitions (file_id, state, at, detail) VALUES (?, ?, ?, ?)').run(id, state, now, detail ?? patch.lastError ?? null);
      options.alongside?.();
    }, options.durable);
    if (!row) throw new LedgerError('not-tracked', `No ledger row ${id}`, 'Reload the offload log: the file is no longer in it.');
    return toRecord(row);
  }

  /** Adds a line to a file's timeline without changing its state (e.g. a copy restored elsewhere). */
  note(id: number, detail: string): void {
    this.inTransaction(() => {
      this.sql('INSERT INTO transitions (file_id, state, at, detail) SELECT id, state, ?, ? FROM files WHERE id = ?').run(Date.now(), detail, id);
      this.sql('UPDATE files SET updated_at = ? WHERE id = ?').run(Date.now(), id);
    });
  }

  /** Sets fields without a state change (e.g. the multipart upload id). */
  patch(id: number, patch: RecordPatch): void {
    const entries = (Object.entries(patch) as [keyof RecordPatch, SQLInputValue | undefined][]).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return;
    this.writing(() => this.sql(`UPDATE files SET ${entries.map(([f]) => `${columns[f]} = ?`).join(', ')}, updated_at = ? WHERE id = ?`).run(...entries.map(([, v]) => v as SQLInputValue), Date.now(), id));
  }

  /** The multipart upload in progress for a file, if any (kept so a restart can resume or abort it). */
  multipartOf(id: number): { uploadId: string; key: string; partSize: number | null } | null {
    const row = this.sql('SELECT upload_id, key, part_size FROM files WHERE id = ?').get(id) as Pick<Row, 'upload_id' | 'key' | 'part_size'> | undefined;
    return row?.upload_id && row.key ? { uploadId: row.upload_id, key: row.key, partSize: row.part_size } : null;
  }

  /**
   * Makes every commit so far survive a power cut: for a removal that relies on a state committed long
   * ago (the retention policy's), as `durable: true` is for one committed just now. A one-row write
   * committed with synchronous=FULL fsyncs the WAL, and with it every frame before it. (A passive
   * checkpoint would not do: SQLite skips its sync when a reader keeps it from copying anything.)
   */
  makeDurable(): void {
    this.inTransaction(() => void this.sql('INSERT INTO durable_marks (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at').run(Date.now()), true);
  }

  /** The part size a file's multipart upload used (kept after it completes; null for a single PUT). */
  partSizeOf(id: number): number | null {
    return (this.sql('SELECT part_size FROM files WHERE id = ?').get(id) as Pick<Row, 'part_size'> | undefined)?.part_size ?? null;
  }

  get(id: number): FileRecord | null {
    const row = this.sql('SELECT * FROM files WHERE id = ?').get(id) as Row | undefined;
    return row ? toRecord(row) : null;
  }

  /** The newest version recorded for a local path. */
  latestForPath(path: string): FileRecord | null {
    const row = this.sql('SELECT * FROM files WHERE path = ? ORDER BY id DESC LIMIT 1').get(path) as Row | undefined;
    return row ? toRecord(row) : null;
  }

  /**
   * The log's row for each of `keys` in one provider's bucket (the bucket view's "in your library"), by
   * key; keys it does not hold are absent. A row counts while its copy is verified or being written now:
   * a failed, conflicting or deleted row's key says nothing about the object there. Indexed
   * (files_by_object), one lookup per key.
   */
  knownObjects(providerId: string, bucket: string, keys: readonly string[]): Map<string, number> {
    const states = ['uploading', 'verifying', ...verifiedStates];
    const find = this.sql(`SELECT id FROM files WHERE key = ? AND provider_id = ? AND (bucket = ? OR bucket IS NULL) AND state IN (${states.map(() => '?').join(',')}) ORDER BY id DESC LIMIT 1`);
    const known = new Map<string, number>();
    for (const key of keys) {
      const row = find.get(key, providerId, bucket, ...states) as { id: number } | undefined;
      if (row) known.set(key, row.id);
    }
    return known;
  }

  /**
   * Records an object another machine or tool put in the bucket as a remote-only file (facets/bucket.ts
   * "adopt"): `local-removed` with error code `adopted`, every field and the first timeline line in one
   * transaction, so no half-made row (verified, without a key) can exist.
   */
  insertAdopted(input: { path: string; watchRoot: string; relPath: string; size: number; mtimeMs: number; sha256: string; providerId: string; bucket: string; key: string; url: string | null }, detail: string): FileRecord {
    const now = Date.now();
    let id = 0;
    this.inTransaction(() => {
      const result = this
        .sql(
          `INSERT INTO files (path, watch_root, rel_path, size, mtime_ms, sha256, state, provider_id, bucket, key, url, error_code, timestamps, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'local-removed', ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(input.path, input.watchRoot, input.relPath, input.size, input.mtimeMs, input.sha256, input.providerId, input.bucket, input.key, input.url, ADOPTED_CODE, JSON.stringify({ detected: now, 'local-removed': now }), now);
      id = Number(result.lastInsertRowid);
      this.sql('INSERT INTO transitions (file_id, state, at, detail) VALUES (?, ?, ?, ?)').run(id, 'local-removed', now, detail);
    });
    return this.get(id)!;
  }

  /** Rows the engine had not finished with (a previous run stopped or crashed mid-way). */
  unfinished(): FileRecord[] {
    const finals = [...finalStates];
    const rows = this.sql(`SELECT * FROM files WHERE state NOT IN (${finals.map(() => '?').join(',')}) ORDER BY id`).all(...finals) as unknown as Row[];
    return rows.map(toRecord);
  }

  /** Each path's newest version when it is in one of `states` (older versions are history), oldest first. */
  latestInStates(states: readonly FileState[]): FileRecord[] {
    if (states.length === 0) return [];
    const rows = this.sql(`SELECT * FROM files f WHERE state IN (${states.map(() => '?').join(',')}) AND id = (SELECT MAX(id) FROM files g WHERE g.path = f.path) ORDER BY id`).all(...states) as unknown as Row[];
    return rows.map(toRecord);
  }

  /** How many verified copies (offloaded, or offloaded and removed here) a provider holds. */
  heldBy(providerId: string): number {
    return this.spaceFigures().storages.find((s) => s.providerId === providerId)?.files ?? 0;
  }

  /** Whether any row names this provider: a verified copy there, or a file on its way or to be retried there. */
  hasRowsFor(providerId: string): boolean {
    return this.sql('SELECT 1 FROM files WHERE provider_id = ? LIMIT 1').get(providerId) !== undefined;
  }

  /** Drops every row recorded for a provider, with its history, in one transaction; returns how many. */
  forgetProvider(providerId: string): number {
    let n = 0;
    this.inTransaction(() => {
      this.sql('DELETE FROM transitions WHERE file_id IN (SELECT id FROM files WHERE provider_id = ?)').run(providerId);
      this.sql('DELETE FROM moves WHERE file_id IN (SELECT id FROM files WHERE provider_id = ?)').run(providerId);
      n = Number(this.sql('DELETE FROM files WHERE provider_id = ?').run(providerId).changes);
    });
    return n;
  }

  /**
   * Rows matching a filter, newest first, a page at a time. The page's ids are chosen first and only
   * those rows read whole: reading every skipped row whole made a page near the end of 100,000 rows take
   * 115 ms instead of 15 (docs/PERFORMANCE.md, the gallery).
   */
  list(query: ListQuery = {}): FileRecord[] {
    const { sql: where, values } = whereClause(query);
    const rows = this.sql(`SELECT * FROM files WHERE id IN (SELECT id FROM files ${where} ORDER BY id DESC LIMIT ? OFFSET ?) ORDER BY id DESC`).all(...values, query.limit ?? -1, query.offset ?? 0) as unknown as Row[];
    return rows.map(toRecord);
  }

  /** How many rows match a filter (the log's total, for its scroll height). */
  count(query: ListQuery = {}): number {
    const { sql: where, values } = whereClause(query);
    return (this.sql(`SELECT COUNT(*) AS n FROM files ${where}`).get(...values) as { n: number }).n;
  }

  /** The state history of one file, oldest first. */
  timeline(id: number): { state: FileState; at: number; detail: string | null }[] {
    return this.sql('SELECT state, at, detail FROM transitions WHERE file_id = ? ORDER BY rowid').all(id) as unknown as { state: FileState; at: number; detail: string | null }[];
  }

  counts(): StateCounts {
    const rows = this.sql('SELECT state, COUNT(*) AS n FROM files GROUP BY state').all() as unknown as { state: FileState; n: number }[];
    const byState: StateCounts['byState'] = {};
    let total = 0;
    for (const { state, n } of rows) {
      if (!fileStates.includes(state)) continue;
      byState[state] = n;
      total += n;
    }
    return { total, byState };
  }

  /** Per storage, verified files, their bytes and the local bytes freed; and the files kept local. */
  spaceFigures(): SpaceFigures {
    const storages = this.sql(
      `SELECT provider_id AS providerId, COUNT(*) AS files, COALESCE(SUM(size), 0) AS bytes,
              COALESCE(SUM(CASE WHEN state = 'local-removed' AND error_code IS NOT ? THEN size ELSE 0 END), 0) AS freedBytes
       FROM files WHERE state IN ('offloaded', 'local-removed') AND provider_id IS NOT NULL GROUP BY provider_id ORDER BY provider_id`,
    ).all(ADOPTED_CODE) as unknown as StorageFigures[];
    const kept = this.sql(`SELECT COUNT(*) AS files, COALESCE(SUM(size), 0) AS bytes FROM files WHERE state = 'skipped' AND error_code IN (${keptLocalCodes.map(() => '?').join(',')})`).get(...keptLocalCodes) as unknown as SpaceFigures['keptLocal'];
    return { storages: storages.map((s) => ({ providerId: s.providerId, files: s.files, bytes: s.bytes, freedBytes: s.freedBytes })), keptLocal: { files: kept.files, bytes: kept.bytes } };
  }

  /** Records that a watch folder is known; returns true if it was already known before. */
  markRootSeen(path: string): boolean {
    const known = this.sql('SELECT 1 FROM watch_roots WHERE path = ?').get(path) !== undefined;
    if (!known) this.writing(() => this.sql('INSERT INTO watch_roots (path, first_seen_at) VALUES (?, ?)').run(path, Date.now()));
    return known;
  }

  /** Records something the connection test learned about a provider (e.g. conditional writes). */
  setProviderFact(providerId: string, name: string, value: boolean): void {
    this.writing(() =>
      this
        .sql('INSERT INTO provider_facts (provider_id, name, value, learned_at) VALUES (?, ?, ?, ?) ON CONFLICT (provider_id, name) DO UPDATE SET value = excluded.value, learned_at = excluded.learned_at')
        .run(providerId, name, JSON.stringify(value), Date.now()),
    );
  }

  providerFact(providerId: string, name: string): boolean | null {
    const row = this.sql('SELECT value FROM provider_facts WHERE provider_id = ? AND name = ?').get(providerId, name) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as boolean) : null;
  }

  /**
   * Commits the open group and closes. Throws a LedgerWriteError when that commit, or an earlier group's
   * that no write has reported yet, failed: the caller must not take the last changes as recorded.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.commitGroup();
    } finally {
      this.statements.clear();
      this.db.close();
    }
    if (this.broken && !this.broken.reported) {
      this.broken.reported = true;
      throw this.broken.error;
    }
  }
}
