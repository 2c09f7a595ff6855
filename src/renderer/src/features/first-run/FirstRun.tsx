/**
 * The first-run setup (issue #18): a short guided setup a new install opens on instead of an empty
 * dashboard — where files go, the bucket and its key with a connection test, the results folder, and
 * the after-upload action — ending where the first files arrive. `#/setup/STEP` shows a step; `#/setup`
 * resumes where the setup was left (progress.ts). A step shows only when what it builds on exists
 * (steps.ts), so nothing half-done is ever taken for done. "Set up later" leaves for the dashboard,
 * which offers "Finish setup" (FinishSetupBanner.tsx) to come back.
 */
import { useEffect } from 'react';
import type { SettingsView } from '../../../../shared/events';
import type { ProviderView } from '../../../../shared/ipc/contract';
import { useAppData } from '../../lib/app-data';
import { hrefFor, navigate } from '../../lib/router';
import { AfterUploadStep } from './AfterUploadStep';
import { BucketStep } from './BucketStep';
import './first-run.css';
import { FolderStep } from './FolderStep';
import { updateProgress, useProgress, type SetupProgress } from './progress';
import { ProviderStep } from './ProviderStep';
import type { StepProps } from './step-props';
import { isSetupStep, reachable, resolveStep, setupSteps, stepText, type SetupFacts, type SetupStep } from './steps';

function factsOf(progress: SetupProgress, settings: SettingsView, providers: readonly ProviderView[]): SetupFacts {
  const active = providers.find((p) => p.id === settings.activeStorage);
  return {
    hasDraft: progress.draft !== null,
    savedProvider: providers.some((p) => p.id === progress.providerId),
    providerActive: active?.status === 'ready',
    watching: settings.watchFolders.length > 0,
  };
}

const go = (step: SetupStep): void => navigate({ page: 'setup', step });

export function FirstRun({ step: requested }: { step?: string | undefined }): React.JSX.Element {
  const { settings, providers } = useAppData();
  const [progress, update] = useProgress();
  const facts = settings ? factsOf(progress, settings, providers) : null;
  // Until the settings are in, what is reachable is unknown: wait rather than send the user back.
  const step = facts ? resolveStep(isSetupStep(requested) ? requested : progress.step, facts) : null;

  useEffect(() => {
    if (!step) return;
    // The address names the step shown, so a reload or a link comes back to it.
    if (requested !== step) window.location.replace(hrefFor({ page: 'setup', step }));
    updateProgress((p) => (p.step === step && p.status === 'active' ? p : { ...p, step, status: 'active' }));
  }, [step, requested]);

  const later = (): void => {
    updateProgress((p) => ({ ...p, status: 'later' }));
    navigate({ page: 'dashboard' });
  };

  const props: StepProps = { progress, update, go };
  const number = step ? setupSteps.indexOf(step) + 1 : 0;
  return (
    <section aria-labelledby="setup-title" className="first-run">
      <div className="first-run-head">
        <h2 id="setup-title">Set up Offload Companion</h2>
        <button type="button" onClick={later}>
          Set up later
        </button>
      </div>
      {step && facts ? (
        <>
          <nav aria-label="Setup steps">
            <ol className="setup-steps">
              {setupSteps.map((s, i) => {
                const text = `${i + 1}. ${stepText[s].label}`;
                if (s === step)
                  return (
                    <li key={s}>
                      <span aria-current="step">{text}</span>
                    </li>
                  );
                if (reachable(s, facts))
                  return (
                    <li key={s}>
                      <a href={hrefFor({ page: 'setup', step: s })}>{text}</a>
                    </li>
                  );
                return (
                  <li key={s}>
                    <span className="setup-step-later">{text}</span>
                  </li>
                );
              })}
            </ol>
          </nav>
          <h3>
            {number}. {stepText[step].title}
          </h3>
          {step === 'provider' && <ProviderStep {...props} />}
          {step === 'bucket' && <BucketStep {...props} />}
          {step === 'folder' && <FolderStep {...props} />}
          {step === 'after-upload' && <AfterUploadStep {...props} />}
        </>
      ) : (
        <p className="muted">Loading…</p>
      )}
    </section>
  );
}
