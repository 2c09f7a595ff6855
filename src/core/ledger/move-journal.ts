/**
 * The moves journal (ledger table `moves`): one entry per file while a move between storages works on
 * it, so a run stopped or killed at any moment can be finished by the next one (docs/move.md):
 *   copying — the copy to the target is under way; the log still points at the source. A multipart
 *             upload recorded here is aborted by the next run, which copies again.
 *   copied  — the target's copy is verified and the log points at it (set in the same transaction);
 *             the source object is still to be deleted (`--delete-source`).
 * The entry goes when the file's move is over: moved (and the source deleted, if asked), or given up.
 */
import type { SQLInputValue, StatementSync } from 'node:sqlite';

export type MovePhaseOnDisk = 'copying' | 'copied';

export interface MoveEntry {
  fileId: number;
  from: string;
  to: string;
  deleteSource: boolean;
  phase: MovePhaseOnDisk;
  /** Where the file was on the source (null for local files). */
  fromBucket: string | null;
  fromKey: string | null;
  /** A multipart upload to the target begun for it, to abort if the run stops. */
  upload: { key: string; uploadId: string } | null;
  /** A move from this machine: why the file was kept here (its skip code), put back if the move fails. */
  keptCode: string | null;
  startedAt: number;
}

interface Row {
  file_id: number;
  from_provider: string;
  to_provider: string;
  delete_source: number;
  phase: MovePhaseOnDisk;
  from_bucket: string | null;
  from_key: string | null;
  upload_key: string | null;
  upload_id: string | null;
  kept_code: string | null;
  started_at: number;
}

const toEntry = (r: Row): MoveEntry => ({
  fileId: r.file_id,
  from: r.from_provider,
  to: r.to_provider,
  deleteSource: r.delete_source === 1,
  phase: r.phase,
  fromBucket: r.from_bucket,
  fromKey: r.from_key,
  upload: r.upload_key && r.upload_id ? { key: r.upload_key, uploadId: r.upload_id } : null,
  keptCode: r.kept_code,
  startedAt: r.started_at,
});

export class MoveJournal {
  /** `sql` prepares (and caches) a statement; `write` runs a write, naming the ledger file if it fails. */
  constructor(
    private readonly sql: (text: string) => StatementSync,
    private readonly write: <T>(work: () => T) => T,
  ) {}

  /** Starts (or restarts) a file's entry in phase `copying`. */
  begin(entry: { fileId: number; from: string; to: string; deleteSource: boolean; fromBucket: string | null; fromKey: string | null; keptCode?: string | null }): void {
    this.run(
      `INSERT INTO moves (file_id, from_provider, to_provider, delete_source, phase, from_bucket, from_key, upload_key, upload_id, kept_code, started_at)
       VALUES (?, ?, ?, ?, 'copying', ?, ?, NULL, NULL, ?, ?)
       ON CONFLICT (file_id) DO UPDATE SET from_provider = excluded.from_provider, to_provider = excluded.to_provider, delete_source = excluded.delete_source,
         phase = 'copying', from_bucket = excluded.from_bucket, from_key = excluded.from_key, upload_key = NULL, upload_id = NULL,
         kept_code = COALESCE(moves.kept_code, excluded.kept_code), started_at = excluded.started_at`,
      entry.fileId,
      entry.from,
      entry.to,
      entry.deleteSource ? 1 : 0,
      entry.fromBucket,
      entry.fromKey,
      entry.keptCode ?? null,
      Date.now(),
    );
  }

  /** Records (or clears) the multipart upload the copy is using. */
  setUpload(fileId: number, upload: { key: string; uploadId: string } | null): void {
    this.run('UPDATE moves SET upload_key = ?, upload_id = ? WHERE file_id = ?', upload?.key ?? null, upload?.uploadId ?? null, fileId);
  }

  /** The copy is verified and the log points at the target; the source is still to be deleted. */
  markCopied(fileId: number): void {
    this.run("UPDATE moves SET phase = 'copied', upload_key = NULL, upload_id = NULL WHERE file_id = ?", fileId);
  }

  end(fileId: number): void {
    this.run('DELETE FROM moves WHERE file_id = ?', fileId);
  }

  get(fileId: number): MoveEntry | null {
    const row = this.sql('SELECT * FROM moves WHERE file_id = ?').get(fileId) as Row | undefined;
    return row ? toEntry(row) : null;
  }

  /** Every entry a run left, oldest first. */
  all(): MoveEntry[] {
    return (this.sql('SELECT * FROM moves ORDER BY started_at, file_id').all() as unknown as Row[]).map(toEntry);
  }

  private run(text: string, ...values: SQLInputValue[]): void {
    this.write(() => this.sql(text).run(...values));
  }
}
