/**
 * What the move screen says and computes, apart from React so it can be unit tested: how a storage is
 * named, what it holds by the status figures, which view of a running move is the later one, and the
 * summary at a move's end.
 */
import type { SpaceFigures } from '../../../../shared/ledger';
import { LOCAL_SOURCE, type MovePhase, type MovePlan, type MoveProgress } from '../../../../shared/move';
import { filesText, formatBytes, storageLabel } from '../../lib/format';

type Named = readonly { id: string; label?: string | undefined }[];

/** A storage as the move screen names it: "this machine" for `local`, else the provider's label (its id). */
export const storageName = (id: string, providers: Named): string => (id === LOCAL_SOURCE ? 'this machine' : storageLabel(id, providers));

/** What a storage holds by the status figures: for `local`, the files kept on this machine. */
export function heldBy(space: SpaceFigures, id: string): { files: number; bytes: number } {
  if (id === LOCAL_SOURCE) return space.keptLocal;
  const figures = space.storages.find((s) => s.providerId === id);
  return { files: figures?.files ?? 0, bytes: figures?.bytes ?? 0 };
}

export const heldText = ({ files, bytes }: { files: number; bytes: number }): string => `${filesText(files)}, ${formatBytes(bytes)}`;

const activePhases: ReadonlySet<MovePhase> = new Set(['running', 'paused', 'cancelling']);

/** Running, paused or cancelling: the move screen shows its progress rather than the form. */
export const isActive = (progress: MoveProgress | null): boolean => progress !== null && activePhases.has(progress.phase);

/**
 * The view of a move to show next. Events and command results (start, pause, status) may arrive out of
 * order; a run's end is final, so an older "running" view of the same run never replaces it.
 */
export function laterProgress(current: MoveProgress | null, next: MoveProgress): MoveProgress {
  if (current === null || isActive(current) || !isActive(next)) return next;
  return sameRun(current, next) ? current : next;
}

/**
 * A command's answer (start, pause, resume, cancel) for the move shown: only its phase is taken. Its
 * byte figures leave out the files being copied, which the events count, so the bar would step back.
 */
export function afterCommand(current: MoveProgress | null, answer: MoveProgress): MoveProgress {
  return current !== null && sameRun(current, answer) ? laterProgress(current, { ...current, phase: answer.phase }) : laterProgress(current, answer);
}

const sameRun = (a: MoveProgress, b: MoveProgress): boolean => a.startedAt === b.startedAt && a.from === b.from && a.to === b.to;

/** The plan in one sentence, naming what it takes and what an earlier run left to finish. */
export function planText(plan: MovePlan, from: string, to: string): string {
  const left = plan.pendingDeletes > 0 ? ` An earlier move left ${plan.pendingDeletes === 1 ? '1 copy' : `${plan.pendingDeletes} copies`} at ${from} to delete; this one deletes them first.` : '';
  if (plan.files === 0) return plan.pendingDeletes > 0 ? `No file left to move to ${to}.${left}` : `Nothing to move: ${from} holds no files.`;
  return `${filesText(plan.files)}, ${formatBytes(plan.bytes)}, from ${from} to ${to}.${left}`;
}

/** What the phase of a move says while it runs. */
export function phaseText(progress: MoveProgress, from: string): string {
  switch (progress.phase) {
    case 'paused':
      return 'Paused: files being copied finish; no new file starts until you resume.';
    case 'cancelling':
      return `Cancelling: files not moved yet stay at ${from}.`;
    default:
      return 'Moving…';
  }
}

/** The summary at a move's end: a headline, and whether it reads as a success. */
export function endText(progress: MoveProgress, from: string, to: string): { headline: string; ok: boolean } {
  const { done, failed } = progress.files;
  if (progress.phase === 'cancelled') return { headline: `Move cancelled: ${filesText(done)} moved to ${to}; the rest stay at ${from}.`, ok: false };
  if (failed > 0) return { headline: `${filesText(failed)} could not be moved${done > 0 ? `; ${filesText(done)} moved to ${to}` : ''}. They stay at ${from}.`, ok: false };
  if (done === 0) return { headline: `Nothing was moved: ${from} held no files.`, ok: true };
  return { headline: `Moved ${filesText(done)} to ${to}.`, ok: true };
}
