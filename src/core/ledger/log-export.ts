/**
 * The offload log as CSV or JSON (PRODUCT.md §5 "Export"). CSV cells are quoted when needed and a cell
 * that a spreadsheet would run as a formula (a file named `=cmd…`) is prefixed with `'`.
 */
import type { ExportedLog } from '../../shared/ipc/contract';
import type { FileRecord } from '../../shared/ledger';

/** CSV header → the record field it shows, in column order (a few per line); the times follow below. */
// prettier-ignore
const fields = {
  id: 'id', path: 'path', relative_path: 'relPath', state: 'state', size_bytes: 'size', sha256: 'sha256', provider: 'providerId',
  bucket: 'bucket', key: 'key', url: 'url', attempts: 'attempts', last_error: 'lastError',
} as const satisfies Record<string, keyof FileRecord>;

const columns: [header: string, cell: (r: FileRecord) => string | number | null][] = [
  ...Object.entries(fields).map(([header, field]): [string, (r: FileRecord) => string | number | null] => [
    header,
    (r) => r[field],
  ]),
  ['detected_at', (r) => iso(r.timestamps.detected)],
  ['offloaded_at', (r) => iso(r.timestamps.offloaded)],
  ['updated_at', (r) => iso(r.updatedAt)],
];

function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function exportLog(rows: FileRecord[], format: 'csv' | 'json', now = new Date()): ExportedLog {
  const stamp = now.toISOString().slice(0, 19).replace(/[:T]/g, '-');
  if (format === 'json') {
    return { fileName: `offload-log-${stamp}.json`, mimeType: 'application/json', content: JSON.stringify(rows, null, 2) };
  }
  const lines = [columns.map(([h]) => h).join(','), ...rows.map((r) => columns.map(([, cell]) => csvCell(cell(r))).join(','))];
  return { fileName: `offload-log-${stamp}.csv`, mimeType: 'text/csv', content: `${lines.join('\r\n')}\r\n` };
}
