/**
 * `offload retry PATH… | --failed`: failed files (and, by name, conflicts) get a fresh attempt — their
 * rows are queued again with the attempts reset — and then offloaded now, as `offload watch --once` does
 * (which also gives every other failed file a fresh attempt, and takes new finished files along).
 */
import { resolve } from 'node:path';
import type { OffloadService } from '../../core/service';
import { UsageError } from '../args';
import type { CliIo } from '../io';
import { watchCommand } from './watch';

export async function retryCommand(service: OffloadService, paths: readonly string[], failed: boolean, io: CliIo): Promise<number> {
  if (failed === paths.length > 0) throw new UsageError('retry: name the files to retry, or give --failed for every failed file (not both)');
  const rows = failed ? service.queue.retryFailed() : service.queue.retryPaths(paths.map((p) => resolve(p)));
  if (rows.length === 0) {
    io.out('no failed files to retry');
    return 0;
  }
  for (const row of rows) io.out(`retrying      ${row.relPath}`);
  return watchCommand(service, true, io);
}
