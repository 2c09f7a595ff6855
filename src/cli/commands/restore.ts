/**
 * `offload restore PATH… | --all [--provider ID] [--to DIR]`: brings offloaded files back from the bucket
 * they were stored in (LogFacet.restore): verified against the log's SHA-256, with their mtimes, never
 * over a different file. Exit 0 when every asked file came back verified, 1 when some could not (each is
 * named with why), 2 for bad usage.
 */
import { resolve } from 'node:path';
import { CoreError } from '../../core/errors';
import type { OffloadService } from '../../core/service';
import type { FileRecord } from '../../shared/ledger';
import { UsageError, type ParsedArgs } from '../args';
import type { CliIo } from '../io';

export async function restoreCommand(
  service: OffloadService,
  args: Pick<ParsedArgs, 'positionals' | 'all' | 'provider' | 'to'>,
  io: CliIo,
): Promise<number> {
  const { positionals: paths, all } = args;
  if (all === paths.length > 0)
    throw new UsageError('restore: name the files to bring back, or give --all for every locally removed file (not both)');
  if (args.provider !== undefined && !all) throw new UsageError('restore: --provider goes with --all');
  if (args.to === '') throw new UsageError('restore: --to needs a folder');
  const asked: { name: string; row: FileRecord | null }[] = all
    ? service.log.restorable(args.provider).map((row) => ({ name: row.path, row }))
    : paths.map((path) => ({ name: resolve(path), row: service.log.latestForPath(path) }));
  if (asked.length === 0) {
    io.out('no locally removed files to bring back');
    return 0;
  }
  let failed = 0;
  for (const { name, row } of asked) {
    if (!row) {
      failed++;
      io.err(`offload: ${name}: not in the offload log, so it cannot be brought back (not-tracked)`);
      continue;
    }
    try {
      const result = await service.log.restore(row.id, { to: args.to });
      io.out(
        result.keptOther
          ? `restored      ${result.path} (a different file had its name: that one was kept)`
          : `restored      ${result.path}`,
      );
    } catch (error) {
      if (!(error instanceof CoreError)) throw error;
      failed++;
      io.err(`offload: ${error.message} (${error.code})`);
      if (error.fix) io.err(`  fix: ${error.fix}`);
    }
  }
  return failed === 0 ? 0 : 1;
}
