/**
 * Moving a storage's files to another (issue #14 "Move"): `#/move/<source>`, the source being a provider
 * or `local` (the files kept on this machine). The form (MoveForm) shows the plan and what both ends
 * hold; a move runs in the background, one at a time, and is followed through `moveProgress` events
 * (MoveRun) with pause, resume and cancel, then summed up. A move already under way when the screen
 * opens is shown instead of the form. Keyboard reachable, no modal. `ids` (`#/move/<source>?ids=1,2`, a
 * selection in the gallery) limits the move to those files.
 */
import { useCallback, useEffect, useState } from 'react';
import type { SpaceFigures } from '../../../../shared/ledger';
import type { MoveProgress } from '../../../../shared/move';
import type { AppError } from '../../../../shared/result';
import { ErrorBanner } from '../../components/ErrorBanner';
import { api, appErrorOf, call } from '../../lib/api';
import { useAppData } from '../../lib/app-data';
import { useServiceEvent } from '../../lib/use-event';
import { useCommand } from '../../lib/use-command';
import { MoveForm } from './MoveForm';
import { MoveRun } from './MoveRun';
import { afterCommand, isActive, laterProgress } from './move-text';

export function MovePage({ source, ids }: { source: string; ids?: number[] | undefined }): React.JSX.Element {
  const { status, reload } = useAppData();
  const { run, busy } = useCommand();
  /** The move this screen follows: null shows the form. */
  const [progress, setProgress] = useState<MoveProgress | null>(null);
  const [opened, setOpened] = useState<{ error: AppError | null } | null>(null);
  const [before, setBefore] = useState<SpaceFigures | null>(null);
  const [after, setAfter] = useState<SpaceFigures | null>(null);
  /** Follows an event (`moveProgress`, the status on opening): the figures of the move as they are. */
  const follow = useCallback((next: MoveProgress | null | undefined) => {
    if (next) setProgress((current) => laterProgress(current, next));
  }, []);
  /** Takes a command's answer: its phase, for the move shown (the events bring the figures). */
  const answered = (answer: MoveProgress | null | undefined): void => {
    if (answer) setProgress((current) => afterCommand(current, answer));
  };

  useEffect(() => {
    let live = true;
    call(api().move.status({})).then(
      (current) => {
        if (!live) return;
        if (isActive(current)) follow(current);
        setOpened({ error: null });
      },
      (error: unknown) => live && setOpened({ error: appErrorOf(error) }),
    );
    return () => {
      live = false;
    };
  }, [follow]);

  // Any move under way is shown (one runs at a time); the end of the one followed, too.
  useServiceEvent('moveProgress', (next) => {
    if (isActive(next) || progress) follow(next);
  });

  // At the end: what both ends hold now, and the providers' file counts (filesHeld) read again.
  const ended = progress !== null && !isActive(progress);
  useEffect(() => {
    if (!ended) return;
    let live = true;
    call(api().status.get({})).then(
      (view) => live && setAfter(view.space),
      () => undefined,
    );
    void reload();
    return () => {
      live = false;
    };
  }, [ended, reload]);

  const start = async (to: string, deleteSource: boolean): Promise<void> => {
    setBefore(status?.space ?? null);
    setAfter(null);
    answered(await run(() => call(api().move.start({ from: source, to, deleteSource, ...(ids ? { ids } : {}) })), { failure: 'Move not started' }));
  };
  const control = (command: 'pause' | 'resume' | 'cancel', failure: string) => async (): Promise<void> => {
    answered(await run(() => call(api().move[command]({})), { failure }));
  };

  return (
    <section aria-labelledby="move-title" className="move">
      <h2 id="move-title">Move files</h2>
      {opened?.error ? <ErrorBanner error={opened.error} /> : null}
      {!opened ? (
        <p className="muted">Loading…</p>
      ) : progress ? (
        <MoveRun
          progress={progress}
          before={before}
          after={after}
          busy={busy}
          onPause={() => void control('pause', 'Move not paused')()}
          onResume={() => void control('resume', 'Move not resumed')()}
          onCancel={() => void control('cancel', 'Move not cancelled')()}
          onAgain={() => {
            setProgress(null);
            setBefore(null);
            setAfter(null);
          }}
        />
      ) : (
        <MoveForm source={source} ids={ids} busy={busy} onStart={(to, deleteSource) => void start(to, deleteSource)} />
      )}
    </section>
  );
}
