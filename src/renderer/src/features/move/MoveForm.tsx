/**
 * The move screen before a move: where the files are, where they go (a provider in use, never the
 * source, never this machine), whether the source copies are deleted, the plan (move.plan) and what
 * both ends hold now. The plan is asked for again when the target changes or the source's files do.
 * With `ids` (a gallery selection) the plan, and so the move, takes only those files.
 */
import { useEffect, useState } from 'react';
import type { MovePlan } from '../../../../shared/move';
import { LOCAL_SOURCE } from '../../../../shared/move';
import type { AppError } from '../../../../shared/result';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Checkbox, Field } from '../../components/Field';
import { api, appErrorOf, call } from '../../lib/api';
import { useAppData } from '../../lib/app-data';
import { hrefFor } from '../../lib/router';
import { heldBy, planText, storageName } from './move-text';
import { SpaceTable } from './SpaceTable';

interface Props {
  source: string;
  /** Only these files (a selection); every file of the source when absent. */
  ids?: number[] | undefined;
  /** A command is in flight (the start): the button waits. */
  busy: boolean;
  onStart(to: string, deleteSource: boolean): void;
}

type Planned = { to: string; plan: MovePlan; error?: never } | { to: string; error: AppError; plan?: never };

export function MoveForm({ source, ids, busy, onStart }: Props): React.JSX.Element {
  const { providers, settings, status } = useAppData();
  const [chosen, setChosen] = useState('');
  const [deleteSource, setDeleteSource] = useState(false);
  const [planned, setPlanned] = useState<Planned | null>(null);
  const fromLocal = source === LOCAL_SOURCE;
  const sourceView = providers.find((p) => p.id === source);
  const known = fromLocal || sourceView !== undefined;
  const targets = providers.filter((p) => !p.retired && p.id !== source);
  // The choice, else the default storage when it can take the files, else the first provider in use.
  const to = targets.find((t) => t.id === chosen)?.id ?? targets.find((t) => t.id === settings?.activeStorage)?.id ?? targets[0]?.id ?? '';
  const from = storageName(source, providers);
  const target = storageName(to, providers);
  // The plan changes when files reach the source or leave it.
  const held = status ? heldBy(status.space, source).files : -1;
  // A stable key for the selection, so a new array with the same ids does not ask again.
  const only = ids?.join(',') ?? '';

  useEffect(() => {
    if (!to || !known) return;
    let live = true;
    call(api().move.plan({ from: source, to, ...(only ? { ids: only.split(',').map(Number) } : {}) })).then(
      (plan) => live && setPlanned({ to, plan }),
      (error: unknown) => live && setPlanned({ to, error: appErrorOf(error) }),
    );
    return () => {
      live = false;
    };
  }, [source, to, known, held, only]);

  const back = fromLocal ? hrefFor({ page: 'dashboard' }) : hrefFor({ page: 'providers', providerId: source });
  if (settings && !known) {
    return (
      <p className="banner banner-error" role="alert">
        No provider has the id &quot;{source}&quot;. <a href={hrefFor({ page: 'providers' })}>Storage providers</a>
      </p>
    );
  }
  const plan = planned?.to === to ? planned : null;
  const nothing = plan?.plan ? plan.plan.files === 0 && plan.plan.pendingDeletes === 0 : true;

  return (
    <form
      className="move-form"
      aria-label="Move files"
      onSubmit={(e) => {
        e.preventDefault();
        if (to) onStart(to, !fromLocal && deleteSource);
      }}
    >
      <p>
        From <strong data-testid="move-source">{from}</strong>
        {sourceView?.retired ? ' (retired)' : ''}
        {fromLocal ? ': the files kept here (already in a folder when watching began, or kept while no provider took them).' : ''}
      </p>
      {ids?.length ? (
        <p data-testid="move-selection">
          Only the {ids.length === 1 ? 'file' : `${ids.length.toLocaleString()} files`} selected in the gallery. <a href={hrefFor({ page: 'move', source })}>Move all of its files instead</a>
        </p>
      ) : null}
      <fieldset>
        <legend>Where to</legend>
        {targets.length ? (
          <Field label="Move to" hint={fromLocal ? 'Each file is uploaded and verified; the target’s “Delete the local copy” setting decides whether it stays here.' : undefined}>
            {(props) => (
              <select {...props} name="target" value={to} onChange={(e) => setChosen(e.target.value)}>
                {targets.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.label || t.id}
                    {t.status === 'ready' ? '' : ` (${t.status})`}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <p>
            No other storage to move to. <a href={hrefFor({ page: 'providers' })}>Set up a provider</a>
          </p>
        )}
        {fromLocal ? null : (
          <Checkbox
            name="deleteSource"
            label={`Delete the copies at ${from} once each file is verified at the target`}
            hint="Otherwise they stay there too. Either way the log and the links point at the target."
            checked={deleteSource}
            onChange={setDeleteSource}
          />
        )}
      </fieldset>

      <h3>What moves</h3>
      {plan?.error ? (
        <ErrorBanner error={plan.error} />
      ) : (
        <p data-testid="move-plan">{plan?.plan ? planText(plan.plan, from, target) : to ? 'Working out what to move…' : 'Choose where the files go.'}</p>
      )}
      {to ? <SpaceTable from={source} to={to} columns={[{ title: 'Now', space: status?.space ?? null }]} /> : null}

      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || !to || nothing}>
          {busy ? 'Starting…' : 'Start move'}
        </button>
        <a href={back}>Back</a>
      </div>
    </form>
  );
}
