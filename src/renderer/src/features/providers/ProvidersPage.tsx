/**
 * The providers screen: the default-storage selector, every catalog provider with its status, and the
 * selected provider's settings. `#/providers/+minio` opens a new provider of that type.
 */
import { useState } from 'react';
import type { ProviderView } from '../../../../shared/ipc/contract';
import { providerCatalog, providerTypes, type ProviderType } from '../../../../shared/providers/catalog';
import { useAppData } from '../../lib/app-data';
import { hrefFor } from '../../lib/router';
import { DefaultStorage } from './DefaultStorage';
import { draftFrom, newDraft } from './draft';
import { ProviderForm } from './ProviderForm';

type Badge = 'not set up' | 'retired' | 'disabled' | 'incomplete' | 'ready' | 'active' | 'error';

function badgeFor(view: ProviderView, activeStorage: string | undefined, lastTest: boolean | undefined): Badge {
  if (view.retired) return 'retired';
  if (!view.enabled) return 'disabled';
  if (view.status !== 'ready') return 'incomplete';
  if (lastTest === false) return 'error';
  return view.id === activeStorage ? 'active' : 'ready';
}

export function ProvidersPage({ selectedId }: { selectedId?: string | undefined }): React.JSX.Element {
  const { providers, settings, reload } = useAppData();
  const [tests, setTests] = useState<Record<string, boolean>>({});
  const recordTest = (id: string, ok: boolean): void => setTests((t) => ({ ...t, [id]: ok }));
  const newType = selectedId?.startsWith('+') ? (selectedId.slice(1) as ProviderType) : null;
  const selected = selectedId && !newType ? (providers.find((p) => p.id === selectedId) ?? null) : null;
  const takenIds = providers.map((p) => p.id);

  return (
    <section aria-labelledby="providers-title" className="providers">
      <h2 id="providers-title">Storage providers</h2>
      <DefaultStorage />
      <div className="split">
        <ul className="provider-list" aria-label="Providers">
          {providerTypes.map((type) => {
            const mine = providers.filter((p) => p.type === type);
            const action = mine.length ? 'Add' : 'Set up';
            return (
              <li key={type}>
                <div className="provider-type">
                  <span>{providerCatalog[type].label}</span>
                  {mine.length === 0 ? <span className="badge badge-not-set-up">not set up</span> : null}
                  {/* The name starts with the words shown, so speech users can say what they see (WCAG 2.5.3). */}
                  <a href={hrefFor({ page: 'providers', providerId: `+${type}` })} aria-label={`${action} ${providerCatalog[type].label}`}>
                    {action}
                  </a>
                </div>
                {mine.length ? (
                  <ul>
                    {mine.map((p) => {
                      const badge = badgeFor(p, settings?.activeStorage, tests[p.id]);
                      return (
                        <li key={p.id}>
                          <a href={hrefFor({ page: 'providers', providerId: p.id })} aria-current={p.id === selectedId ? 'true' : undefined}>
                            {p.label || p.id}
                          </a>
                          <span className={`badge badge-${badge.replace(/ /g, '-')}`} data-testid={`status-${p.id}`}>
                            {badge}
                          </span>
                        </li>
                      );
                    })}
                  </ul>
                ) : null}
              </li>
            );
          })}
        </ul>
        <div className="provider-detail">
          {selected ? (
            <ProviderForm key={selected.id} initial={draftFrom(selected)} existing={selected} takenIds={takenIds} onSaved={() => void reload()} onTested={recordTest} />
          ) : newType && Object.hasOwn(providerCatalog, newType) ? (
            <ProviderForm
              key={`new-${newType}`}
              initial={newDraft(newType, takenIds)}
              existing={null}
              takenIds={takenIds}
              onSaved={(view) => {
                void reload();
                window.location.hash = hrefFor({ page: 'providers', providerId: view.id });
              }}
              onTested={recordTest}
            />
          ) : (
            <p className="muted">Choose a provider to set it up or change its settings.</p>
          )}
        </div>
      </div>
    </section>
  );
}
