/**
 * `offload migrate --from SOURCE --to TARGET [--delete-source] [--dry-run] [--json]`: moves a storage's
 * files to another (MoveFacet, docs/move.md). SOURCE is a provider id, or `local` for the files kept on
 * this machine. Each file is written and verified on TARGET like an upload before the log points there;
 * with --delete-source its SOURCE copy is deleted only after that. Stopped (Ctrl-C) or killed, a second
 * run finishes the job. Exit 0 when every file is on TARGET verified, 1 when some file could not be moved
 * (each named with why), 2 for bad usage.
 */
import type { OffloadService } from '../../core/service';
import { formatBytes } from '../../shared/format';
import type { MoveFileResult, MovePlan, MoveProgress } from '../../shared/move';
import { UsageError, type ParsedArgs } from '../args';
import type { CliIo } from '../io';

/** How often --json prints a progress line at most (every file's result is printed as it ends). */
const JSON_PROGRESS_EVERY_MS = 1000;

const filesText = (n: number): string => (n === 1 ? '1 file' : `${n} files`);

export async function migrateCommand(service: OffloadService, args: Pick<ParsedArgs, 'positionals' | 'from' | 'to' | 'deleteSource' | 'dryRun' | 'json'>, io: CliIo): Promise<number> {
  if (args.positionals.length) throw new UsageError(`migrate: unexpected ${args.positionals.map((p) => `"${p}"`).join(' ')} (name the storages with --from and --to)`);
  if (!args.from) throw new UsageError('migrate: --from SOURCE is needed (a provider id, or local for the files kept on this machine)');
  if (!args.to) throw new UsageError('migrate: --to TARGET is needed (a provider id)');
  if (args.dryRun && args.deleteSource) throw new UsageError('migrate: --dry-run lists what would move; give --delete-source without it to move');
  const request = { from: args.from, to: args.to, deleteSource: args.deleteSource };
  if (args.dryRun) return printPlan(service.move.plan(request.from, request.to), args.json, io);

  const plan = service.move.plan(request.from, request.to);
  if (!args.json) io.out(`moving ${filesText(plan.files)} (${formatBytes(plan.bytes)}) from ${plan.from} to ${plan.to}${args.deleteSource ? ', deleting each source copy once verified' : ''}`);
  const cancel = new AbortController();
  const onInterrupt = (): void => cancel.abort();
  process.once('SIGINT', onInterrupt);
  let lastProgress = 0;
  try {
    const { progress } = await service.move.run(request, {
      signal: cancel.signal,
      onFile: (result) => (args.json ? io.out(JSON.stringify({ type: 'file', ...result })) : printResult(result, io)),
      onProgress: (p) => {
        if (!args.json || Date.now() - lastProgress < JSON_PROGRESS_EVERY_MS) return;
        lastProgress = Date.now();
        io.out(JSON.stringify({ type: 'progress', ...p }));
      },
    });
    return printSummary(progress, args.json, io);
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}

function printPlan(plan: MovePlan, json: boolean, io: CliIo): number {
  if (json) {
    io.out(JSON.stringify({ type: 'plan', ...plan }));
    return 0;
  }
  for (const item of plan.items) io.out(`would move    ${item.path} (${formatBytes(item.size)})`);
  io.out(`${filesText(plan.files)}, ${formatBytes(plan.bytes)} would move from ${plan.from} to ${plan.to}`);
  if (plan.pendingDeletes) io.out(`${plan.pendingDeletes} source ${plan.pendingDeletes === 1 ? 'copy' : 'copies'} an earlier run moved would be deleted first`);
  return 0;
}

function printResult(result: MoveFileResult, io: CliIo): void {
  const where = result.key ? ` → ${result.key}` : '';
  if (result.outcome === 'failed') {
    io.err(`offload: ${result.message ?? `${result.path}: not moved`} (${result.code ?? 'move-failed'})`);
    return;
  }
  io.out(`${(result.outcome === 'moved' ? 'moved' : 'already there').padEnd(13)} ${result.path}${where}`);
  if (result.message) (result.code === 'source-kept' ? io.err : io.out)(`  ${result.message}`);
}

function printSummary(progress: MoveProgress, json: boolean, io: CliIo): number {
  const { files } = progress;
  const ok = files.failed === 0 && progress.phase === 'finished';
  if (json) io.out(JSON.stringify({ type: 'summary', ok, ...progress }));
  else if (progress.phase === 'cancelled') io.err(`offload: stopped: ${files.done} of ${filesText(files.total)} moved; the rest stay at ${progress.from} (run the same command again to finish)`);
  else io.out(`moved ${files.done} of ${filesText(files.total)} (${formatBytes(progress.bytes.done)}) from ${progress.from} to ${progress.to}${files.failed ? `; ${files.failed} could not be moved (listed above)` : ''}`);
  return ok ? 0 : 1;
}
