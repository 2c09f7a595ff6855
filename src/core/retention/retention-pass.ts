/**
 * One retention pass: removes the plan's local copies, each proven again right before (issue #19):
 *   - the log still says `offloaded` and the file is not pinned (a pin or a move may have come since);
 *   - the file at the path is the one recorded (same size and mtime, opened without following links,
 *     inside its watch folder) and its bytes hash to the recorded SHA-256 — a file changed since its
 *     upload is never removed: it is handed back to the engine to be offloaded again first;
 *   - then local-removal.ts, the same path as a removal right after upload: renamed aside, checked
 *     again, the remote object HEADed and matched, and only then unlinked or moved to the OS trash.
 * Every commit a removal relies on is made durable first (Ledger.makeDurable). A kill at any point leaves
 * either the file, its aside copy (put back at the next start), or a verified remote copy whose row the
 * next pass marks removed.
 */
import { lstat, readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EngineEvents } from '../../shared/events';
import type { FileRecord } from '../../shared/ledger';
import type { RetentionCandidate, RetentionPlan, RetentionReason, RetentionReport } from '../../shared/retention';
import type { ProviderSettings, Settings } from '../../shared/settings';
import type { TypedEmitter } from '../events';
import { entryExists } from '../fs-entries';
import { LedgerWriteError, type Ledger } from '../ledger/ledger';
import { fileLockKey, type KeyLock } from '../offload/key-lock';
import { REMOVING_SUFFIX, removeLocalCopy, restoreNoReplace, type RemovalOutcome } from '../offload/local-removal';
import { opaqueEtagsFor } from '../offload/remote-match';
import { partSizeFor } from '../offload/write-plan';
import { openProviderSession, type ProviderSession } from '../providers/provider-session';
import type { SecretStore } from '../secrets/secret-store';
import { digestFile } from '../storage/file-digest';
import { LocalFile } from '../storage/local-file';
import { policyFor } from './policy-for';

export interface PassContext {
  ledger: Ledger;
  /** The service's lock, for the file's lock (fileLockKey). */
  keyLock: KeyLock;
  /** The policy's clock (the age rule). */
  now: () => number;
  settings: () => Readonly<Settings>;
  events: TypedEmitter<EngineEvents>;
  secrets: () => SecretStore;
  trash: (path: string, restorePath: string) => Promise<void>;
  /** Hands a changed file back to the engine to be offloaded again (absent when no engine runs here). */
  recheck?: ((row: FileRecord) => void) | undefined;
  signal?: AbortSignal | undefined;
}

const reasonText: Record<RetentionReason, string> = {
  'right-away': 'right away after upload',
  age: 'its age',
  space: 'low disk space',
};

const DAY_MS = 86_400_000;

const CHANGED = 'it changed since it was offloaded, so it was kept (it is offloaded again first)';

type Outcome = { removed: true } | { removed: false; reason: string; gone?: true };

export async function runRetentionPass(ctx: PassContext, plan: RetentionPlan): Promise<RetentionReport> {
  const report: RetentionReport = { removed: [], kept: [], gone: [], freedBytes: 0, disks: plan.disks };
  if (plan.candidates.length === 0) return report;
  // The states these removals rely on may have been committed long ago: make sure they are on disk.
  ctx.ledger.makeDurable();
  const sessions = new Map<string, Promise<ProviderSession>>();
  try {
    for (const candidate of plan.candidates) {
      if (ctx.signal?.aborted) break;
      const outcome = await removeOne(ctx, candidate, sessions).catch((error: unknown): Outcome => {
        // The log cannot be written (a full disk): stop here, and say so, rather than remove more unrecorded.
        if (error instanceof LedgerWriteError) throw error;
        return { removed: false, reason: `it could not be checked (${(error as Error).message}), so it was kept` };
      });
      if (outcome.removed) {
        report.removed.push({ id: candidate.id, path: candidate.path, size: candidate.size, reason: candidate.reason });
        report.freedBytes += candidate.size;
      } else if (outcome.gone) {
        report.gone.push({ id: candidate.id, path: candidate.path });
      } else {
        report.kept.push({ id: candidate.id, path: candidate.path, reason: outcome.reason });
      }
    }
  } finally {
    for (const session of sessions.values()) void session.then((s) => s.dispose(), () => undefined);
  }
  return report;
}

/**
 * Why the candidate is no longer to be removed now, or null: checked before the file is read and again
 * right before its removal, under the file's lock, as the plan may be minutes old by then — the engine
 * took the file again (a new version, its own removal), the user deleted its remote copy, pinned it,
 * stopped watching its folder or changed the policy.
 */
function noLongerDue(ctx: PassContext, candidate: RetentionCandidate): string | null {
  const row = ctx.ledger.get(candidate.id);
  if (!row || row.state !== 'offloaded' || !row.key || !row.sha256 || !row.providerId) return `it is ${row?.state ?? 'no longer in the log'} now`;
  if (row.updatedAt !== candidate.updatedAt) return 'its record changed during the pass (the next pass looks again)';
  if (ctx.ledger.pins.isPinned(row.path)) return 'it is pinned (kept on this computer)';
  const settings = ctx.settings();
  if (!settings.watchFolders.some((f) => f.path === row.watchRoot)) return 'its folder is no longer watched';
  const policy = policyFor(settings, row.watchRoot);
  const due = candidate.reason === 'right-away' ? policy.rightAway : candidate.reason === 'age' ? policy.afterDays !== null && ctx.now() - candidate.offloadedAt >= policy.afterDays * DAY_MS : policy.lowSpace !== null;
  return due ? null : 'the retention policy changed during the pass';
}

async function removeOne(ctx: PassContext, candidate: RetentionCandidate, sessions: Map<string, Promise<ProviderSession>>): Promise<Outcome> {
  // One removal, restore, remote deletion or upload end of this file at a time (key-lock.ts fileLockKey).
  const release = await ctx.keyLock.acquire(fileLockKey(candidate.id));
  try {
    const stale = noLongerDue(ctx, candidate);
    if (stale) return { removed: false, reason: stale };
    return await proveAndRemove(ctx, candidate, ctx.ledger.get(candidate.id)!, sessions);
  } finally {
    release();
  }
}

async function proveAndRemove(ctx: PassContext, candidate: RetentionCandidate, row: FileRecord, sessions: Map<string, Promise<ProviderSession>>): Promise<Outcome> {
  const { ledger } = ctx;
  const settings = ctx.settings();
  const provider = settings.providers.find((p) => p.id === row.providerId);
  if (!provider) return { removed: false, reason: `its provider "${row.providerId}" is no longer configured, so its remote copy cannot be checked` };
  // A pass cut off while the copy was set aside (its name.offload-removing): put it back first, as the
  // engine's start does, so `offload retention --now` alone finishes what a killed one began.
  const aside = `${row.path}${REMOVING_SUFFIX}`;
  if ((await entryExists(aside)) && !(await entryExists(row.path))) await restoreNoReplace(aside, row.path).catch(() => undefined);
  let file: LocalFile;
  try {
    file = await LocalFile.open(row.path, row.watchRoot, row);
  } catch (error) {
    return whenUnopenable(ctx, row, error);
  }
  try {
    const session = await sessionFor(ctx, provider, row.bucket, sessions);
    const recorded = ledger.partSizeOf(row.id);
    const partSize = recorded !== null && row.size > recorded ? recorded : partSizeFor(row.size, settings.upload, session.provider.entry);
    const digest = await digestFile(file, partSize, ctx.signal);
    if (digest.size !== row.size || digest.sha256 !== row.sha256 || (await file.changedSince(row))) {
      ctx.recheck?.(row);
      return kept(ctx, row, CHANGED);
    }
    const stale = noLongerDue(ctx, candidate);
    if (stale) return { removed: false, reason: stale };
    const policy = policyFor(ctx.settings(), row.watchRoot);
    const outcome: RemovalOutcome = await removeLocalCopy({ file, mtimeMs: row.mtimeMs, digest, store: session.store, key: row.key!, opaqueEtags: opaqueEtagsFor(session.provider), trash: policy.moveToTrash ? ctx.trash : undefined });
    if (outcome.removed) {
      ctx.events.emit('fileChanged', ledger.transition(row.id, 'local-removed', {}, `the local copy was removed by the retention policy (${reasonText[candidate.reason]})`));
      return { removed: true };
    }
    return kept(ctx, row, outcome.reason);
  } finally {
    await file.close();
  }
}

/**
 * A candidate kept, with why, on its timeline — a note, not a state change, so its age still counts from
 * its offload; said once while the reason stays the same.
 */
function kept(ctx: PassContext, row: FileRecord, reason: string): Outcome {
  const detail = `the retention policy kept the local copy: ${reason}`;
  if (ctx.ledger.timeline(row.id).at(-1)?.detail !== detail) ctx.ledger.note(row.id, detail);
  return { removed: false, reason };
}

/**
 * The file could not be opened as recorded. Gone with no aside copy left (removed by hand, or by a pass
 * killed after the unlink): the remote copy is verified and nothing is here, so the log says so — but
 * only where the folder is plainly there: an empty watch folder or a missing subfolder may be a drive
 * that is not mounted (RELIABILITY.md case 17), whose files are kept as they are recorded. Changed or
 * replaced: handed back to the engine. Anything else: kept, with the reason.
 */
async function whenUnopenable(ctx: PassContext, row: FileRecord, error: unknown): Promise<Outcome> {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' && !(await entryExists(`${row.path}${REMOVING_SUFFIX}`)) && (await folderPlainlyThere(row))) {
    ctx.events.emit('fileChanged', ctx.ledger.transition(row.id, 'local-removed', {}, 'the local copy was already gone (removed by hand, or by an interrupted retention pass); the remote copy is verified'));
    return { removed: false, reason: 'its local copy was already gone', gone: true };
  }
  if (code === 'file-changed') {
    ctx.recheck?.(row);
    return kept(ctx, row, CHANGED);
  }
  return { removed: false, reason: `${(error as Error).message}; it was kept` };
}

/** The file's folder exists and its watch folder is not empty (an unmounted drive leaves an empty mount point). */
async function folderPlainlyThere(row: FileRecord): Promise<boolean> {
  const [parent, entries] = await Promise.all([lstat(dirname(row.path)).catch(() => null), readdir(row.watchRoot).catch(() => [])]);
  return parent !== null && parent.isDirectory() && entries.length > 0;
}

function sessionFor(ctx: PassContext, provider: ProviderSettings, bucket: string | null, sessions: Map<string, Promise<ProviderSession>>): Promise<ProviderSession> {
  const id = `${provider.id}\n${bucket ?? ''}`;
  let session = sessions.get(id);
  if (!session) {
    session = openProviderSession(provider, ctx.secrets(), { bucket });
    sessions.set(id, session);
  }
  return session;
}
