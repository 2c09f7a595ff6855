/**
 * A move from `local`: a file kept on this machine (already in the folder when watching began, kept while
 * Local was the storage, kept because the provider could not be used) is offloaded to the target now,
 * exactly as an upload — the one-file job of offload-job.ts, with the target's delete-local setting
 * deciding about the local copy. The journal keeps why the file was kept, so a move that fails (or is
 * given up after a restart) puts the row back as it was: kept here, with the reason.
 */
import type { FileRecord } from '../../shared/ledger';
import { LOCAL_SOURCE, type MoveFileResult } from '../../shared/move';
import { StepFailure } from './job-errors';
import { offloadFile, type JobContext } from './offload-job';

/** Offloads a kept-local row to `to`; throws (a StepFailure) when this attempt failed: see giveUpLocalMove. */
export async function moveLocalFile(job: JobContext, row: FileRecord, to: string, signal: AbortSignal): Promise<MoveFileResult> {
  const { ledger } = job;
  const keptCode = ledger.moves.get(row.id)?.keptCode ?? row.errorCode ?? 'existing';
  ledger.moves.begin({ fileId: row.id, from: LOCAL_SOURCE, to, deleteSource: false, fromBucket: null, fromKey: null, keptCode });
  job.events.emit('fileChanged', ledger.transition(row.id, 'queued', { providerId: to, attempts: 0, lastError: null, errorCode: null }, `moving from this machine to ${to}`));
  await offloadFile(job, row.id, signal);
  const done = ledger.get(row.id)!;
  // The conflict policy kept the other object (state `conflict`): not moved.
  if (done.state === 'conflict') throw new StepFailure('checking the bucket', new Error(done.lastError ?? 'a different object is at its key'));
  ledger.moves.end(row.id);
  ledger.note(row.id, `moved from this machine (kept as "${keptCode}") to ${to}`);
  return { id: row.id, path: done.path, outcome: 'moved', size: done.size, key: done.key ?? undefined, url: done.url };
}

/** Puts a row whose move from `local` failed back as it was (kept here, with its reason) and says why. */
export function giveUpLocalMove(job: Pick<JobContext, 'ledger' | 'events'>, fileId: number, to: string, message: string): void {
  const { ledger } = job;
  const keptCode = ledger.moves.get(fileId)?.keptCode ?? 'existing';
  const row = ledger.transition(fileId, 'skipped', { providerId: keptCode === 'existing' ? null : LOCAL_SOURCE, errorCode: keptCode, lastError: `kept on this machine: the move to ${to} failed (${message})` }, undefined, {
    alongside: () => ledger.moves.end(fileId),
  });
  job.events.emit('fileChanged', row);
}
