/** Formatting for sizes, rates, times and names shown in the window. */
import { formatBytes } from '../../../shared/format';

export { formatBytes, storageLabel } from '../../../shared/format';

export const formatRate = (bytesPerSecond: number): string => `${formatBytes(bytesPerSecond)}/s`;

export function formatTime(ms: number | undefined): string {
  if (ms === undefined) return '—';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

export const fileName = (path: string): string => path.split(/[\\/]/).pop() ?? path;
