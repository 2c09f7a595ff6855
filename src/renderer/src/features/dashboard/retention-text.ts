/**
 * How the dashboard words the local-copies figures (issue #19): a disk's free space against its total
 * and the low-space mark, and what a "Free up space now" pass did. Pure, so it is unit-tested.
 */
import type { ToastContent } from '../../components/toast';
import type { DiskSpace, RetentionReport } from '../../../../shared/retention';
import { fileName, filesText, formatBytes } from '../../lib/format';

/** "120.0 GB free of 500.0 GB (24 %); keeps at least 50.0 GB free". */
export function diskLine(d: DiskSpace): string {
  const share = d.totalBytes > 0 ? ` (${Math.round((d.freeBytes / d.totalBytes) * 100)} %)` : '';
  const mark = d.markBytes !== null ? `; keeps at least ${formatBytes(d.markBytes)} free` : '';
  return `${formatBytes(d.freeBytes)} free of ${formatBytes(d.totalBytes)}${share}${mark}`;
}

/** The first few files kept after all, by name and why. */
function keptLines(kept: RetentionReport['kept'], shown = 3): string[] {
  if (!kept.length) return [];
  const lines = kept.slice(0, shown).map((k) => `Kept ${fileName(k.path)}: ${k.reason}`);
  if (kept.length > shown) lines.push(`…and ${kept.length - shown} more kept`);
  return lines;
}

/**
 * What a pass freed: the bytes and files removed here (still in the bucket), any kept after all, and any
 * whose local copy was already gone (the log now says so).
 */
export function applyToast(report: RetentionReport): ToastContent {
  const kept = keptLines(report.kept);
  const gone = report.gone.length ? [`${filesText(report.gone.length)} already gone from this computer; the log now says so.`] : [];
  if (!report.removed.length) {
    const lines = [...kept, ...gone];
    return { tone: 'info', title: 'Nothing to free now', lines: lines.length ? lines : ['No local copy is due to leave under the policy.'] };
  }
  return {
    tone: report.kept.length ? 'warning' : 'success',
    title: `Freed ${formatBytes(report.freedBytes)}`,
    lines: [`${filesText(report.removed.length)} removed from this computer; each is still in its bucket and can be brought back.`, ...kept, ...gone],
  };
}
