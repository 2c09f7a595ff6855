/** Formatting for sizes, rates, times and names shown in the window. */
import { formatBytes } from '../../../shared/format';

export { formatBytes, storageLabel } from '../../../shared/format';

export const formatRate = (bytesPerSecond: number): string => `${formatBytes(bytesPerSecond)}/s`;

/** A count of files: "1 file", "3 files". */
export const filesText = (n: number): string => (n === 1 ? '1 file' : `${n} files`);

/** A duration such as time left: "45 s", "3 min 05 s", "2 h 04 min"; "—" when unknown. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export function formatTime(ms: number | undefined): string {
  if (ms === undefined) return '—';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

export const fileName = (path: string): string => path.split(/[\\/]/).pop() ?? path;
