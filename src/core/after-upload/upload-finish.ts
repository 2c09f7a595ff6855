/**
 * Tells, from a `fileChanged` row and its timeline, whether this event is the end of an upload — the one
 * moment after-upload actions run. Rows reach a verified state in other ways too, which must not run
 * them: a move repoints a row and keeps its state ("moved from …"), a move from this machine runs the
 * upload job itself (queued "moving from …"), a restore puts a row back to `offloaded` (`restored`). When
 * the retention policy removes local copies right away, the upload ends with the removal's outcome (`local-removed`, or
 * `offloaded` with `kept-local`), so a command still finds the file where the timeline says it is. A row
 * verified before (whose removal the engine completes later: turned on since, or cut off by a crash) does
 * not run them again. Pure: the caller reads the timeline and whether the retention policy removes right away.
 */
import type { TimelineEntry } from '../../shared/ipc/contract';
import { finalStates, verifiedStates, type FileRecord } from '../../shared/ledger';

/**
 * Details the ledger writes for moves, restores (move-file.ts, move-local.ts, facets/log.ts) and the
 * retention policy's later removals (retention-pass.ts): none of them ends an upload.
 */
const notAnUpload = /^(moved from|moving from|restored from|the local copy was|the retention policy kept)/;

/**
 * The key of the upload this event ends (the row and when it was verified: the same upload never runs
 * its actions twice), or null when the event ends no upload. `removalFollows`: the row's provider removes
 * local copies, so an `offloaded` right after verifying is not the end yet.
 */
export function uploadFinishKey(row: FileRecord, timeline: readonly TimelineEntry[], removalFollows: boolean): string | null {
  if (!verifiedStates.has(row.state) || row.errorCode === 'restored') return null;
  const verifying = timeline.findLastIndex((t) => t.state === 'verifying');
  if (verifying < 0) return null;
  // Verified before this pass: the engine is finishing a removal turned on (or interrupted) after the upload,
  // whose actions ran then or were lost with it — never twice.
  if (timeline.slice(0, verifying).some((t) => verifiedStates.has(t.state))) return null;
  const after = timeline.slice(verifying + 1);
  if (
    after.length === 0 ||
    after.length > 2 ||
    after.some((t) => !verifiedStates.has(t.state) || notAnUpload.test(t.detail ?? ''))
  )
    return null;
  // A move from this machine uploads through the same job; its queued entry (since the row last rested) says so.
  for (let i = verifying - 1; i >= 0 && !finalStates.has(timeline[i]!.state); i--) {
    if (notAnUpload.test(timeline[i]!.detail ?? '')) return null;
  }
  const [first, second] = after;
  if (first!.state !== 'offloaded') return null;
  const ended = second
    ? second.state === 'local-removed' || (second.state === 'offloaded' && row.errorCode === 'kept-local')
    : !removalFollows;
  return ended ? `${row.id}:${timeline[verifying]!.at}` : null;
}
