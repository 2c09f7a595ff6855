/** How the command prints ledger rows and events. */
import type { FileRecord } from '../shared/ledger';

export function describeRow(row: FileRecord): string {
  const where = row.key ? ` → ${row.bucket ? `s3://${row.bucket}/` : ''}${row.key}` : '';
  const why = row.lastError ? ` (${row.lastError})` : '';
  return `${row.state.padEnd(13)} ${row.relPath}${where}${why}`;
}
