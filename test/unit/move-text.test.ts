/**
 * The move screen's words and its choice between views of a move (src/renderer/src/features/move/move-text.ts):
 * a run's end is never replaced by an older "running" view, a command's answer moves only the phase
 * (its bytes leave out the files being copied), and the plan and the end read as the user expects.
 */
import { describe, expect, it } from 'vitest';
import { afterCommand, endText, heldBy, laterProgress, planText, storageName } from '../../src/renderer/src/features/move/move-text';
import { formatDuration } from '../../src/renderer/src/lib/format';
import type { MoveProgress } from '../../src/shared/move';

const progress = (change: Partial<MoveProgress> = {}): MoveProgress => ({
  from: 'studio',
  to: 'archive',
  deleteSource: true,
  phase: 'running',
  files: { total: 3, done: 1, failed: 0 },
  bytes: { total: 3000, done: 1500 },
  bytesPerSecond: 500,
  secondsLeft: 3,
  startedAt: 1000,
  failures: [],
  ...change,
});

describe('following a move', () => {
  it('keeps the end of a run over an older running view of it, but takes a new run', () => {
    const finished = progress({ phase: 'finished', files: { total: 3, done: 3, failed: 0 } });
    expect(laterProgress(finished, progress())).toBe(finished);
    const next = progress({ startedAt: 2000 });
    expect(laterProgress(finished, next)).toBe(next);
    const later = progress({ bytes: { total: 3000, done: 2000 } });
    expect(laterProgress(progress(), later)).toBe(later);
  });

  it('takes only the phase from a command’s answer about the move shown', () => {
    const shown = progress();
    const answer = progress({ phase: 'paused', bytes: { total: 3000, done: 1000 } });
    expect(afterCommand(shown, answer)).toEqual({ ...shown, phase: 'paused' });
    expect(afterCommand(null, answer)).toBe(answer);
    const ended = progress({ phase: 'cancelled' });
    expect(afterCommand(ended, progress({ phase: 'cancelling' }))).toBe(ended);
  });
});

describe('what the move screen says', () => {
  const providers = [{ id: 'studio', label: 'Studio' }, { id: 'archive' }];

  it('names this machine and providers', () => {
    expect(storageName('local', providers)).toBe('this machine');
    expect(storageName('studio', providers)).toBe('Studio');
    expect(storageName('archive', providers)).toBe('archive');
  });

  it('reads what a storage holds from the space figures', () => {
    const space = { storages: [{ providerId: 'studio', files: 2, bytes: 10, freedBytes: 0 }], keptLocal: { files: 4, bytes: 40 } };
    expect(heldBy(space, 'studio')).toEqual({ files: 2, bytes: 10 });
    expect(heldBy(space, 'archive')).toEqual({ files: 0, bytes: 0 });
    expect(heldBy(space, 'local')).toEqual({ files: 4, bytes: 40 });
  });

  it('sums up the plan', () => {
    const plan = { from: 'studio', to: 'archive', items: [], files: 3, bytes: 24_171_520, pendingDeletes: 0 };
    expect(planText(plan, 'Studio', 'archive')).toBe('3 files, 24.2 MB, from Studio to archive.');
    expect(planText({ ...plan, files: 0, bytes: 0 }, 'Studio', 'archive')).toBe('Nothing to move: Studio holds no files.');
    expect(planText({ ...plan, files: 0, bytes: 0, pendingDeletes: 1 }, 'Studio', 'archive')).toBe('No file left to move to archive. An earlier move left 1 copy at Studio to delete; this one deletes them first.');
  });

  it('sums up the end: all moved, some not, cancelled', () => {
    expect(endText(progress({ phase: 'finished', files: { total: 3, done: 3, failed: 0 } }), 'Studio', 'archive')).toEqual({ headline: 'Moved 3 files to archive.', ok: true });
    expect(endText(progress({ phase: 'finished', files: { total: 3, done: 2, failed: 1 } }), 'Studio', 'archive')).toEqual({ headline: '1 file could not be moved; 2 files moved to archive. They stay at Studio.', ok: false });
    expect(endText(progress({ phase: 'cancelled', files: { total: 3, done: 1, failed: 0 } }), 'Studio', 'archive').headline).toBe('Move cancelled: 1 file moved to archive; the rest stay at Studio.');
  });

  it('formats the time left', () => {
    expect([formatDuration(null), formatDuration(0), formatDuration(59.4), formatDuration(185), formatDuration(7440)]).toEqual(['—', '0 s', '59 s', '3 min 05 s', '2 h 04 min']);
  });
});
