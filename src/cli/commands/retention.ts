/**
 * `offload retention --dry-run | --now [--json]` and `offload pin | unpin PATH…` (issue #19): the local
 * retention policy by hand. A pass removes only copies whose remote copy is verified, each checked again
 * right before (src/core/retention); `--now` while the app or an `offload watch` runs is refused by the
 * one-offloader lock, which names who runs — that one applies the policy on its own schedule.
 */
import { resolve } from 'node:path';
import { coveredByPin } from '../../core/ledger/pins';
import type { OffloadService } from '../../core/service';
import { formatBytes } from '../../shared/format';
import type { RetentionFigures, RetentionPlan } from '../../shared/retention';
import { UsageError, type ParsedArgs } from '../args';
import type { CliIo } from '../io';
import { printLines } from '../terminal-safe';

const reasonText = { 'right-away': 'right away', age: 'age', space: 'low space' } as const;

export async function retentionCommand(service: OffloadService, args: ParsedArgs, io: CliIo): Promise<number> {
  if (args.dryRun === args.now) throw new UsageError('retention: give --dry-run to list what the policy would remove, or --now to remove it (one of the two)');
  if (args.dryRun) {
    const plan = await service.retention.plan();
    if (args.json) printLines(io.out, JSON.stringify(plan, null, 2));
    else printPlan(plan, io);
    return 0;
  }
  const report = await service.retention.apply();
  if (args.json) {
    printLines(io.out, JSON.stringify(report, null, 2));
  } else {
    for (const r of report.removed) io.out(`removed   ${formatBytes(r.size).padStart(9)}  ${r.path}  (${reasonText[r.reason]})`);
    for (const k of report.kept) io.out(`kept      ${k.path}: ${k.reason}`);
    for (const g of report.gone) io.out(`gone      ${g.path}: its local copy was already gone; the log now says so`);
    io.out(`${report.removed.length} local ${report.removed.length === 1 ? 'copy' : 'copies'} removed, ${formatBytes(report.freedBytes)} freed; ${report.kept.length} kept`);
  }
  // A kept candidate is not a failure: the policy keeps what it cannot prove, and says why.
  return 0;
}

function printPlan(plan: RetentionPlan, io: CliIo): void {
  for (const c of plan.candidates) io.out(`would remove ${formatBytes(c.size).padStart(9)}  ${c.path}  (${reasonText[c.reason]}; offloaded ${new Date(c.offloadedAt).toISOString()})`);
  io.out(`${plan.candidates.length} local ${plan.candidates.length === 1 ? 'copy' : 'copies'} would be removed, freeing ${formatBytes(plan.bytes)}`);
  for (const d of plan.disks) io.out(diskLine(d));
}

const diskLine = (d: RetentionPlan['disks'][number]): string =>
  `disk of ${d.watchRoot}: ${formatBytes(d.freeBytes)} free of ${formatBytes(d.totalBytes)}${d.markBytes === null ? '' : `; low-space mark ${formatBytes(d.markBytes)}${d.freeBytes < d.markBytes ? ' (under it)' : ''}`}`;

/** The retention lines of `offload status`. */
export function printRetention(figures: RetentionFigures, io: CliIo): void {
  io.out(`local copies leave: ${figures.policy}`);
  for (const d of figures.disks) io.out(diskLine(d));
  io.out(`the policy could free now: ${formatBytes(figures.freeableBytes)} (${figures.freeableFiles} files); freed so far: ${formatBytes(figures.freedBytes)}; pins: ${figures.pins}`);
}

export function pinCommand(service: OffloadService, paths: readonly string[], pin: boolean, io: CliIo): number {
  const verb = pin ? 'pin' : 'unpin';
  if (paths.length === 0) throw new UsageError(`${verb}: name the files or folders to ${pin ? 'keep on this computer' : 'let the policy remove again'} (PATH…)`);
  const absolute = paths.map((p) => resolve(p));
  const before = new Set(service.retention.pins().map((p) => p.path));
  const pins = pin ? service.retention.pin(absolute) : service.retention.unpin(absolute);
  // Said as it was: unpinning a path that was never pinned changes nothing, and pinning twice neither.
  for (const path of absolute) io.out(pin ? `${before.has(path) ? 'was pinned' : 'pinned    '}  ${path}` : `${before.has(path) ? 'unpinned  ' : 'not pinned'}  ${path}`);
  if (!pin) {
    // An unpinned file inside a pinned folder stays pinned by the folder: say so rather than let it look free.
    const still = absolute.filter((p) => pins.some((q) => q.path !== p && coveredByPin(p, q.path)));
    for (const p of still) io.out(`note: ${p} stays kept: a folder above it is pinned`);
  }
  return 0;
}
