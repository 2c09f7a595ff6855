/**
 * One provider's screen (PRODUCT.md §1, §3): General, Bucket credentials, the provider's own fields, and
 * Advanced. Validation runs as the user types with the engine's own rules (shared/providers/validate);
 * messages show once a field was touched or a save was tried. The secret is never read back: the field
 * is empty with "stored" when one exists, and a blank secret keeps it — unless the type, endpoint or
 * bucket changed, which drops it (shared/providers/secret-binding), so the form asks for it again.
 */
import { useMemo, useState } from 'react';
import type { ProviderRemoveMode, ProviderView } from '../../../../shared/ipc/contract';
import { entryOf } from '../../../../shared/providers/catalog';
import { secretBindingChanges } from '../../../../shared/providers/secret-binding';
import { validateProvider, type FieldIssue } from '../../../../shared/providers/validate';
import { providerSchema } from '../../../../shared/settings';
import { Checkbox, Field } from '../../components/Field';
import { useToasts } from '../../components/Toasts';
import { api, call } from '../../lib/api';
import { useAppData } from '../../lib/app-data';
import { hrefFor, navigate } from '../../lib/router';
import { useCommand } from '../../lib/use-command';
import { cdnUrlFor, keyTemplateHint, settingsFrom, type ProviderDraft } from './draft';
import { DraftTextField, RegionField, type DraftTextKey } from './DraftFields';
import { probeToast } from './probe-toast';
import { filesText, RemoveProvider } from './RemoveProvider';

type IssueField = FieldIssue['field'] | 'id';

interface Props {
  initial: ProviderDraft;
  existing: ProviderView | null;
  takenIds: string[];
  onSaved(view: ProviderView): void;
  onTested(id: string, ok: boolean): void;
}

export function ProviderForm({ initial, existing, takenIds, onSaved, onTested }: Props): React.JSX.Element {
  const toasts = useToasts();
  const { reload } = useAppData();
  const { run, busy, running } = useCommand<'save' | 'test' | 'delete'>();
  const [draft, setDraft] = useState(initial);
  const [secret, setSecret] = useState('');
  const [touched, setTouched] = useState<Set<IssueField>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const entry = entryOf(draft.type);
  const cdnUrl = cdnUrlFor(draft);
  const rebound = existing?.hasSecret ? secretBindingChanges(existing, settingsFrom(draft)) : [];
  // A save without a secret drops the stored one when these changed: validate as the service will see it.
  const hasSecret = (existing?.hasSecret ?? false) && rebound.length === 0;

  const issues = useMemo(() => {
    const list: { field: IssueField; message: string }[] = validateProvider(settingsFrom(draft), hasSecret || secret !== '');
    const id = providerSchema.shape.id.safeParse(draft.id.trim());
    if (!id.success) list.unshift({ field: 'id', message: `Provider ID: ${id.error.issues[0]?.message ?? 'invalid'}` });
    else if (!existing && takenIds.includes(draft.id.trim())) list.unshift({ field: 'id', message: `Provider ID "${draft.id}" is taken` });
    return list;
  }, [draft, secret, hasSecret, existing, takenIds]);

  const errorFor = (field: IssueField): string | undefined => (submitted || touched.has(field) ? issues.find((i) => i.field === field)?.message : undefined);
  const set = <K extends keyof ProviderDraft>(key: K, value: ProviderDraft[K]): void => setDraft((d) => ({ ...d, [key]: value }));
  const touch = (field: IssueField) => () => setTouched((t) => new Set(t).add(field));

  const save = async (): Promise<ProviderView | null> => {
    setSubmitted(true);
    // A disabled provider may be saved half-filled; an enabled one must pass every rule.
    if (draft.enabled && issues.length) {
      toasts.show({ tone: 'error', title: 'Not saved: fix the highlighted fields', lines: issues.map((i) => i.message) });
      return null;
    }
    const view = await call(api().providers.save({ provider: settingsFrom(draft), secret }));
    setSecret('');
    onSaved(view);
    return view;
  };

  /** Saves, and for a test then probes the saved provider: the toast is the save's, or the probe's result. */
  const saveOr = (kind: 'save' | 'test') =>
    run(
      async () => {
        const view = await save();
        if (!view || kind === 'save') return { view, probe: null };
        const probe = await call(api().providers.test({ id: view.id }));
        onTested(view.id, probe.ok);
        return { view, probe };
      },
      {
        kind,
        failure: kind === 'save' ? 'Not saved' : 'Connection test could not run',
        done: ({ view, probe }) => {
          if (probe) return probeToast(probe);
          return view ? { tone: 'success', title: `Saved ${view.label || view.id}`, lines: view.status === 'ready' ? ['Ready to offload.'] : [] } : null;
        },
      },
    );

  const remove = async (mode: ProviderRemoveMode | undefined): Promise<void> => {
    const name = draft.label || draft.id;
    const held = existing?.filesHeld ?? 0;
    const removed = await run(() => call(api().providers.remove({ id: draft.id, ...(mode ? { mode } : {}) })), {
      kind: 'delete',
      failure: 'Not removed',
      done: () =>
        mode === 'keep' && held > 0
          ? { tone: 'success', title: `Retired ${name}`, lines: [`Its ${filesText(held)} keep their links; new files never go there.`] }
          : { tone: 'success', title: mode === 'forget' && existing?.retired ? `Forgot ${name}` : `Removed ${name}`, lines: mode === 'forget' && held > 0 ? [`The log forgot its ${filesText(held)}.`] : [] },
    });
    if (removed !== undefined) navigate({ page: 'providers' });
    // Refused, perhaps because files reached it since the list was read (provider-holds-files): read
    // the providers again, so the next try asks what becomes of them.
    else void reload();
  };

  const text = (field: DraftTextKey & IssueField, label: string, options: { hint?: string; placeholder?: string } = {}) => (
    <DraftTextField field={field} label={label} {...options} draft={draft} error={errorFor(field)} onChange={(v) => set(field, v)} onBlur={touch(field)} />
  );

  if (existing?.retired) {
    // Read-only: it is kept for its files' links, so nothing about where they are may change.
    return (
      <section className="provider-form" aria-label={`${entry.label} settings`}>
        <h3>{existing.label || existing.id}</h3>
        <p>
          Retired: kept so the {filesText(existing.filesHeld)} it holds keep their links (bucket <span className="mono">{existing.bucket}</span>). New files never go
          there, and it cannot be the default storage.
        </p>
        <div className="form-actions">
          {existing.filesHeld > 0 ? <a href={hrefFor({ page: 'move', source: existing.id })}>Move its files to…</a> : null}
          <a href={hrefFor({ page: 'bucket', providerId: existing.id })}>Bucket contents</a>
          <RemoveProvider filesHeld={existing.filesHeld} retired disabled={busy} onRemove={(mode) => void remove(mode)} />
        </div>
      </section>
    );
  }

  const endpointRequired = entry.required.includes('endpoint');
  return (
    <form
      className="provider-form"
      aria-label={`${entry.label} settings`}
      onSubmit={(e) => {
        e.preventDefault();
        void saveOr('save');
      }}
    >
      <h3>{existing ? existing.label || existing.id : `New ${entry.label} provider`}</h3>
      {existing && existing.filesHeld > 0 ? (
        <p>
          It holds {filesText(existing.filesHeld)}. <a href={hrefFor({ page: 'move', source: existing.id })}>Move its files to…</a>
        </p>
      ) : null}
      {existing ? (
        <p>
          <a href={hrefFor({ page: 'bucket', providerId: existing.id })}>Bucket contents</a>: what the bucket holds, and files uploaded from elsewhere to add to your library.
        </p>
      ) : null}
      <fieldset>
        <legend>General</legend>
        <Checkbox label="Enabled" checked={draft.enabled} onChange={(v) => set('enabled', v)} />
        {existing ? null : text('id', 'Provider ID', { hint: 'Letters, digits, - and _. Used by the offload command and in the log.' })}
        <Field label="Name">{(props) => <input {...props} name="label" value={draft.label} placeholder={entry.label} onChange={(e) => set('label', e.target.value)} />}</Field>
      </fieldset>

      <fieldset>
        <legend>Bucket credentials</legend>
        {text('bucket', 'Bucket')}
        {text('accessKeyId', 'Access key ID', entry.defaultCredentialChain ? { hint: 'Leave key and secret empty to use the AWS credentials of this computer.' } : {})}
        <Field label="Secret access key" error={errorFor('secret')} hint={secretHint(hasSecret, rebound)}>
          {(props) => (
            <input {...props} name="secret" type="password" className="mono" value={secret} placeholder={hasSecret ? 'stored' : ''} autoComplete="new-password" onChange={(e) => setSecret(e.target.value)} onBlur={touch('secret')} />
          )}
        </Field>
        {entry.accountId ? text('accountId', 'Account ID', { hint: entry.accountId.hint }) : null}
        <RegionField entry={entry} draft={draft} error={errorFor('region')} onChange={(v) => set('region', v)} onBlur={touch('region')} />
        {endpointRequired ? text('endpoint', 'Endpoint', { placeholder: 'https://s3.example.com:9000' }) : null}
      </fieldset>

      <details className="advanced" open={Boolean(!endpointRequired && (draft.endpoint || draft.publicUrl || draft.keyPrefix || draft.keyTemplate))}>
        <summary>Advanced</summary>
        <fieldset>
          <legend className="visually-hidden">Advanced</legend>
          {endpointRequired ? null : text('endpoint', 'Custom endpoint', { hint: 'Only for a non-standard endpoint; normally derived from the provider.' })}
          <Field label="Public / CDN URL" error={errorFor('publicUrl')} hint="Links are made from this URL when set; otherwise links are presigned.">
            {(props) => (
              <span className="input-with-action">
                <input {...props} name="publicUrl" className="mono" value={draft.publicUrl} placeholder={cdnUrl ?? undefined} spellCheck={false} autoComplete="off" onChange={(e) => set('publicUrl', e.target.value)} onBlur={touch('publicUrl')} />
                {/* The provider's own CDN, offered rather than filled in: links through it are public. */}
                {cdnUrl && draft.publicUrl !== cdnUrl ? (
                  <button type="button" onClick={() => set('publicUrl', cdnUrl)} aria-label={`Use CDN URL ${cdnUrl}`}>
                    Use CDN URL
                  </button>
                ) : null}
              </span>
            )}
          </Field>
          {text('keyPrefix', 'Key prefix', { placeholder: 'renders/' })}
          {text('keyTemplate', 'Key template', { placeholder: '{relpath}', hint: keyTemplateHint(draft) })}
          <Checkbox label="Path-style addressing" checked={draft.forcePathStyle} onChange={(v) => set('forcePathStyle', v)} />
          <Field label="Storage class" error={errorFor('storageClass')}>
            {(props) => (
              <select {...props} name="storageClass" value={draft.storageClass} onChange={(e) => set('storageClass', e.target.value)}>
                <option value="">Provider default</option>
                {entry.storageClasses.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </fieldset>
      </details>

      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {running === 'save' ? 'Saving…' : 'Save'}
        </button>
        <button type="button" disabled={busy} onClick={() => void saveOr('test')}>
          {running === 'test' ? 'Testing…' : 'Test connection'}
        </button>
        {existing ? (
          <RemoveProvider filesHeld={existing.filesHeld} retired={false} disabled={busy} onRemove={(mode) => void remove(mode)} onMoveFirst={() => navigate({ page: 'move', source: existing.id })} />
        ) : null}
      </div>
    </form>
  );
}

/** What the secret field says: kept, dropped because where requests go changed, or where it is kept. */
function secretHint(hasSecret: boolean, rebound: readonly string[]): string {
  if (rebound.length) return `The ${rebound.join(', ')} changed: enter the secret again. The stored one is dropped on save, so it never goes somewhere new.`;
  return hasSecret ? 'A secret is stored in the system keychain. Leave blank to keep it.' : 'Kept in the system keychain, never in the settings file.';
}
