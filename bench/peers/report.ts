/** Medians, ratios and the printed table of a bench run. */
import type { CpuScope } from './cpu';
import type { ToolRun } from './tools';

export interface RunRecord extends ToolRun {
  workload: string;
  tool: string;
  run: number;
  /** Objects and bytes the tool left under its prefix: must equal the workload's. */
  storedFiles: number;
  storedBytes: number;
  /** CPU seconds of the server's daemons (radosgw, ceph-osd, ceph-mon) during the run; null: not found. */
  serverCpuSeconds: number | null;
  /** Creator day, offload only: how long the generation took, and files sent again after a change. */
  generatorSeconds?: number;
  requeued?: number;
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
  /** Peer's median seconds / this tool's: above 1, this tool is faster. */
  vsRclone: number | null;
  vsAwsCli: number | null;
  vsLimit: number | null;
  /** Median over good runs of the tool's user + system CPU seconds per 10^9 bytes of the workload. */
  cpuSecondsPerGB: number | null;
  /** Whose CPU that is: the tool's process tree, or the bench process (the tool ran inside it). */
  cpuOf: CpuScope | null;
  /** The server's CPU seconds per 10^9 bytes during this tool's runs (median); null: not measured. */
  serverCpuSecondsPerGB: number | null;
}

export const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const perGB = (values: number[], bytes: number): number | null => (values.length ? +(median(values) / (bytes / 1e9)).toFixed(2) : null);

export function summarise(records: RunRecord[], workloads: { name: string; files: number; bytes: number }[]): Summary[] {
  const out: Summary[] = [];
  for (const w of workloads) {
    const forWorkload = records.filter((r) => r.workload === w.name);
    const tools = [...new Set(forWorkload.map((r) => r.tool))];
    const rows: Summary[] = tools.map((tool) => {
      const runs = forWorkload.filter((r) => r.tool === tool);
      const good = runs.filter((r) => !r.error && r.storedFiles === w.files && r.storedBytes === w.bytes);
      const seconds = good.length ? median(good.map((r) => r.seconds)) : NaN;
      const rss = good.map((r) => r.peakRssBytes).filter((b): b is number => b !== null);
      const server = good.map((r) => r.serverCpuSeconds).filter((s): s is number => s !== null);
      return {
        workload: w.name,
        tool,
        runs: runs.length,
        failed: runs.length - good.length,
        medianSeconds: +seconds.toFixed(2),
        mbPerSecond: +(w.bytes / 1e6 / seconds).toFixed(1),
        filesPerSecond: +(w.files / seconds).toFixed(1),
        peakRssMiB: rss.length ? Math.round(Math.max(...rss) / 1048576) : null,
        vsRclone: null,
        vsAwsCli: null,
        vsLimit: null,
        cpuSecondsPerGB: perGB(good.map((r) => r.cpuSeconds), w.bytes),
        cpuOf: runs[0]?.cpuOf ?? null,
        serverCpuSecondsPerGB: perGB(server, w.bytes),
      };
    });
    const ratio = (peer: string, r: Summary): number | null => {
      const p = rows.find((x) => x.tool === peer);
      return p && Number.isFinite(p.medianSeconds) && Number.isFinite(r.medianSeconds) ? +(p.medianSeconds / r.medianSeconds).toFixed(2) : null;
    };
    for (const r of rows) {
      r.vsRclone = ratio('rclone', r);
      r.vsAwsCli = ratio('aws-cli', r);
      r.vsLimit = ratio('limit probe', r);
    }
    out.push(...rows);
  }
  return out;
}

const fixed = (n: number | null): string => (n === null ? '—' : n.toFixed(2));

export function table(summaries: Summary[]): string {
  const head = ['workload', 'tool', 'median s', 'MB/s', 'files/s', '× rclone', '× AWS CLI', '× limit', 'CPU s/GB', 'server CPU s/GB', 'peak RSS MiB', 'failed runs'];
  const rows = summaries.map((s) => [
    s.workload,
    s.tool,
    String(s.medianSeconds),
    String(s.mbPerSecond),
    String(s.filesPerSecond),
    fixed(s.vsRclone),
    fixed(s.vsAwsCli),
    fixed(s.vsLimit),
    s.cpuSecondsPerGB === null ? '—' : `${s.cpuSecondsPerGB.toFixed(2)}${s.cpuOf === 'bench process' ? ' (bench)' : ''}`,
    fixed(s.serverCpuSecondsPerGB),
    s.peakRssMiB === null ? 'in bench' : String(s.peakRssMiB),
    `${s.failed}/${s.runs}`,
  ]);
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
