/**
 * Step 1: where the files go. Every provider of the catalog is a button (pressed when chosen); the
 * chosen one's help says what to create there, with links to its console. Next starts a draft of that
 * type for step 2 — or keeps the one being entered, so coming back here loses nothing. A profile whose
 * default storage is already a ready provider may go on with it.
 */
import { useId } from 'react';
import { providerCatalog, providerTypes } from '../../../../shared/providers/catalog';
import { useAppData } from '../../lib/app-data';
import { storageLabel } from '../../lib/format';
import { newDraft } from '../providers/draft';
import { ProviderHelpPanel } from './ProviderHelpPanel';
import type { StepProps } from './step-props';
import { StepNav } from './StepNav';

export function ProviderStep({ progress, update, go }: StepProps): React.JSX.Element {
  const { providers, settings } = useAppData();
  const helpId = useId();
  const chosen = progress.type;
  const active = providers.find((p) => p.id === settings?.activeStorage && p.status === 'ready');
  const saved = providers.find((p) => p.id === progress.providerId);

  const next = (): void => {
    if (!chosen) return;
    update((p) => {
      // The draft being entered stays; a provider this setup already saved needs none; else a new one.
      const draft =
        p.draft?.type === chosen
          ? p.draft
          : saved?.type === chosen
            ? null
            : newDraft(
                chosen,
                providers.map((x) => x.id),
              );
      return { ...p, draft };
    });
    go('bucket');
  };

  return (
    <>
      <p className="setup-intro">
        Offload Companion copies every finished file from your results folder to a bucket you own, checks the copy byte for byte,
        and hands you a link. Choose where that bucket is.
      </p>
      {active ? (
        <p className="banner banner-info setup-intro">
          Files already go to <strong>{storageLabel(active.id, providers)}</strong>.{' '}
          <button type="button" onClick={() => go('folder')}>
            Continue with {storageLabel(active.id, providers)}
          </button>{' '}
          or choose another below.
        </p>
      ) : null}
      <ul className="setup-choices" aria-label="Storage providers">
        {providerTypes.map((type) => (
          <li key={type}>
            <button
              type="button"
              aria-pressed={chosen === type}
              aria-describedby={chosen === type ? helpId : undefined}
              onClick={() => update((p) => ({ ...p, type }))}
            >
              {providerCatalog[type].label}
            </button>
          </li>
        ))}
      </ul>
      {chosen ? (
        <ProviderHelpPanel type={chosen} id={helpId} />
      ) : (
        <p className="muted">Choose one to see what to create there.</p>
      )}
      <StepNav primary={{ label: 'Next', onClick: next, disabled: !chosen }} waitingFor="Choose a provider first." />
    </>
  );
}
