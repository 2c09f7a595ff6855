/**
 * Step 2: the bucket and its credentials, then the connection test — the provider form's fields for the
 * chosen type (from the catalog entry), validated as the user types with the engine's own rules, and
 * its toasts (probe-toast.ts). Nothing is saved half-valid: "Test connection" saves the provider only
 * when every field passes, tests it, and keeps it only when the test passes — then it becomes the
 * default storage. A failed test removes it again (with its secret), so leaving here leaves nothing.
 * Until then the draft lives in the setup's progress (without the secret), so it survives leaving.
 */
import { useMemo, useState } from 'react';
import type { ProviderView } from '../../../../shared/ipc/contract';
import type { ProbeResult } from '../../../../shared/probe';
import { entryOf } from '../../../../shared/providers/catalog';
import { validateProvider, type FieldIssue } from '../../../../shared/providers/validate';
import { Field } from '../../components/Field';
import { useToasts } from '../../components/Toasts';
import { api, call } from '../../lib/api';
import { useAppData } from '../../lib/app-data';
import { hrefFor } from '../../lib/router';
import { useCommand } from '../../lib/use-command';
import { DraftTextField, RegionField, type DraftTextKey } from '../providers/DraftFields';
import { cdnUrlFor, newDraft, settingsFrom, type ProviderDraft } from '../providers/draft';
import { probeToast } from '../providers/probe-toast';
import { ProviderHelpPanel } from './ProviderHelpPanel';
import type { StepProps } from './step-props';
import { StepNav } from './StepNav';

type IssueField = FieldIssue['field'];

export function BucketStep(props: StepProps): React.JSX.Element {
  const { providers } = useAppData();
  const saved = providers.find((p) => p.id === props.progress.providerId);
  if (props.progress.draft) return <BucketForm {...props} draft={props.progress.draft} />;
  // Reachable without a draft only once this setup saved its provider (steps.ts).
  return saved ? <SavedProvider view={saved} {...props} /> : <p className="muted">Choose a provider first.</p>;
}

/** The provider this setup saved and tested: what it is, where to change it, and the way on. */
function SavedProvider({ view, go }: StepProps & { view: ProviderView }): React.JSX.Element {
  const label = view.label || entryOf(view.type).label;
  return (
    <>
      <p className="banner banner-success setup-done" role="status">
        {label} is saved and tested, and is now the default storage: files go to bucket{' '}
        <span className="mono">{view.bucket}</span>.
      </p>
      <p>
        To change its settings later: <a href={hrefFor({ page: 'providers', providerId: view.id })}>Storage providers</a>.
      </p>
      <StepNav onBack={() => go('provider')} primary={{ label: 'Next', onClick: () => go('folder') }} />
    </>
  );
}

function BucketForm({ draft, update, go }: StepProps & { draft: ProviderDraft }): React.JSX.Element {
  const toasts = useToasts();
  const { providers, reload } = useAppData();
  const { run, busy } = useCommand<'test'>();
  const [secret, setSecret] = useState('');
  const [touched, setTouched] = useState<Set<IssueField>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const entry = entryOf(draft.type);
  const issues = useMemo(() => validateProvider(settingsFrom(draft), secret !== ''), [draft, secret]);

  const errorFor = (field: IssueField): string | undefined =>
    submitted || touched.has(field) ? issues.find((i) => i.field === field)?.message : undefined;
  const set = <K extends keyof ProviderDraft>(key: K, value: ProviderDraft[K]): void =>
    update((p) => (p.draft ? { ...p, draft: { ...p.draft, [key]: value } } : p));
  const touch = (field: IssueField) => () => setTouched((t) => new Set(t).add(field));

  /** Saves (complete only), tests, and keeps the provider only when the test passes; the toast is the test's. */
  const test = async (): Promise<void> => {
    setSubmitted(true);
    if (issues.length) {
      toasts.show({ tone: 'error', title: 'Not saved: fix the highlighted fields', lines: issues.map((i) => i.message) });
      return;
    }
    // A fresh id at save time: a provider added elsewhere since the draft began is never overwritten.
    const id = newDraft(
      draft.type,
      providers.map((p) => p.id),
    ).id;
    // Named after the provider unless the user named it: the header says "Cloudflare R2", not "r2".
    const provider = settingsFrom({ ...draft, id, label: draft.label.trim() || entry.label });
    const outcome = await run(
      async (): Promise<{ probe: ProbeResult; view: ProviderView | null }> => {
        const view = await call(api().providers.save({ provider, secret }));
        let probe: ProbeResult;
        try {
          probe = await call(api().providers.test({ id: view.id }));
        } catch (error) {
          await call(api().providers.remove({ id: view.id }));
          throw error;
        }
        if (!probe.ok) {
          await call(api().providers.remove({ id: view.id }));
          return { probe, view: null };
        }
        await call(api().storage.setActive({ id: view.id }));
        return { probe, view };
      },
      { kind: 'test', failure: 'Connection test could not run', done: ({ probe }) => probeToast(probe) },
    );
    if (!outcome?.view) return;
    const saved = outcome.view.id;
    setSecret('');
    // The list must hold the provider before the step turns into its summary (steps.ts reads it).
    await reload();
    update((p) => ({ ...p, draft: null, providerId: saved }));
  };

  const text = (field: DraftTextKey & IssueField, label: string, options: { hint?: string; placeholder?: string } = {}) => (
    <DraftTextField field={field} label={label} {...options} draft={draft} error={errorFor(field)} onChange={(v) => set(field, v)} onBlur={touch(field)} />
  );

  const endpointRequired = entry.required.includes('endpoint');
  const cdnUrl = cdnUrlFor(draft);
  return (
    <form
      aria-label={`${entry.label} bucket and key`}
      onSubmit={(e) => {
        e.preventDefault();
        void test();
      }}
    >
      <ProviderHelpPanel type={draft.type} />
      <fieldset>
        <legend>{entry.label}</legend>
        {text('bucket', 'Bucket')}
        {text(
          'accessKeyId',
          'Access key ID',
          entry.defaultCredentialChain ? { hint: 'Leave key and secret empty to use the AWS credentials of this computer.' } : {},
        )}
        <Field
          label="Secret access key"
          error={errorFor('secret')}
          hint="Kept in the system keychain once the test passes, never in the settings file."
        >
          {(fieldProps) => (
            <input
              {...fieldProps}
              name="secret"
              type="password"
              className="mono"
              value={secret}
              autoComplete="new-password"
              onChange={(e) => setSecret(e.target.value)}
              onBlur={touch('secret')}
            />
          )}
        </Field>
        {entry.accountId ? text('accountId', 'Account ID', { hint: entry.accountId.hint }) : null}
        <RegionField entry={entry} draft={draft} error={errorFor('region')} onChange={(v) => set('region', v)} onBlur={touch('region')} />
        {endpointRequired ? text('endpoint', 'Endpoint', { placeholder: 'https://s3.example.com:9000' }) : null}
      </fieldset>
      <details className="advanced" open={Boolean(!endpointRequired && (draft.endpoint || draft.publicUrl || draft.keyPrefix))}>
        <summary>Advanced</summary>
        <fieldset>
          <legend className="visually-hidden">Advanced</legend>
          {endpointRequired
            ? null
            : text('endpoint', 'Custom endpoint', {
                hint: 'Only for a non-standard endpoint; normally derived from the provider.',
              })}
          {text('publicUrl', 'Public / CDN URL', {
            hint: 'Links are made from this URL when set; otherwise links are presigned.',
            ...(cdnUrl ? { placeholder: cdnUrl } : {}),
          })}
          {text('keyPrefix', 'Key prefix', { placeholder: 'renders/' })}
        </fieldset>
      </details>
      <StepNav
        onBack={() => go('provider')}
        primary={{ label: busy ? 'Testing…' : 'Test connection', submit: true, disabled: busy }}
      />
    </form>
  );
}
