/** Medians, ratios and the printed table of a bench run. */
import type { ToolRun } from './tools';

export interface RunRecord extends ToolRun {
  workload: string;
  tool: string;
  run: number;
  /** Objects and bytes the tool left under its prefix: must equal the workload's. */
  storedFiles: number;
  storedBytes: number;
}

export interface Summary {
  workload: string;
  tool: string;
  runs: number;
  failed: number;
  medianSeconds: number;
  mbPerSecond: number;
  filesPerSecond: number;
  peakRssMiB: number | null;
  vsRclone: number | null;
  vsLimit: number | null;
}

export const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export function summarise(records: RunRecord[], workloads: { name: string; files: number; bytes: number }[]): Summary[] {
  const out: Summary[] = [];
  for (const w of workloads) {
    const forWorkload = records.filter((r) => r.workload === w.name);
    const tools = [...new Set(forWorkload.map((r) => r.tool))];
    const rows = tools.map((tool) => {
      const runs = forWorkload.filter((r) => r.tool === tool);
      const good = runs.filter((r) => !r.error && r.storedFiles === w.files && r.storedBytes === w.bytes);
      const seconds = good.length ? median(good.map((r) => r.seconds)) : NaN;
      const rss = good.map((r) => r.peakRssBytes).filter((b): b is number => b !== null);
      return { workload: w.name, tool, runs: runs.length, failed: runs.length - good.length, medianSeconds: +seconds.toFixed(2), mbPerSecond: +(w.bytes / 1e6 / seconds).toFixed(1), filesPerSecond: +(w.files / seconds).toFixed(1), peakRssMiB: rss.length ? Math.round(Math.max(...rss) / 1048576) : null, vsRclone: null as number | null, vsLimit: null as number | null };
    });
    const rclone = rows.find((r) => r.tool === 'rclone');
    const limit = rows.find((r) => r.tool === 'limit probe');
    for (const r of rows) {
      r.vsRclone = rclone && Number.isFinite(rclone.medianSeconds) ? +(rclone.medianSeconds / r.medianSeconds).toFixed(2) : null;
      r.vsLimit = limit && Number.isFinite(limit.medianSeconds) ? +(limit.medianSeconds / r.medianSeconds).toFixed(2) : null;
    }
    out.push(...rows);
  }
  return out;
}

export function table(summaries: Summary[]): string {
  const head = ['workload', 'tool', 'median s', 'MB/s', 'files/s', '× rclone', '× limit', 'peak RSS MiB', 'failed runs'];
  const rows = summaries.map((s) => [s.workload, s.tool, String(s.medianSeconds), String(s.mbPerSecond), String(s.filesPerSecond), s.vsRclone === null ? '—' : s.vsRclone.toFixed(2), s.vsLimit === null ? '—' : s.vsLimit.toFixed(2), s.peakRssMiB === null ? 'in bench' : String(s.peakRssMiB), `${s.failed}/${s.runs}`]);
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
