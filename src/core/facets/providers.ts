/**
 * The providers facet (IPC group `providers`): list with readiness, save, remove, the connection test,
 * and the secret. A secret never leaves: views say only `hasSecret`.
 */
import type { ProviderRemoveMode as RemoveMode, ProviderView } from '../../shared/ipc/contract';
import type { ProbeResult } from '../../shared/probe';
import { secretBindingChanges } from '../../shared/providers/secret-binding';
import { LOCAL_STORAGE, providerSchema, type ProviderSettings } from '../../shared/settings';
import { runConnectionTest } from '../probe/connection-test';
import { openProviderSession, ProviderUnusable, readinessOf } from '../providers/provider-session';
import { envPrefix } from '../secrets/secret-store';
import { ServiceError } from '../service-error';
import type { ServiceContext } from './context';

/** The provider with this id, or a ServiceError naming it. */
export function providerById(ctx: ServiceContext, id: string): ProviderSettings {
  const p = ctx.settings.current.providers.find((x) => x.id === id);
  if (!p) throw new ServiceError('unknown-provider', `No provider has id "${id}"`, 'Check the id (offload status lists them), or add the provider first.');
  return p;
}

export class ProvidersFacet {
  constructor(private readonly ctx: ServiceContext) {}

  /** Every provider with its readiness and how many files it holds; secrets are reported only as hasSecret. */
  list(): Promise<ProviderView[]> {
    const secrets = this.ctx.secrets();
    const held = new Map(this.ctx.ledger.spaceFigures().storages.map((s) => [s.providerId, s.files]));
    return Promise.all(this.ctx.settings.current.providers.map(async (p) => ({ ...p, ...(await readinessOf(p, secrets)), filesHeld: held.get(p.id) ?? 0 })));
  }

  /**
   * Adds or replaces a provider and writes the settings file atomically. A non-empty secret goes to the
   * keychain. An empty one keeps the stored secret only while the provider's type, endpoint and bucket
   * stay as they were: otherwise the stored secret is dropped (see secret-binding.ts), and the save is
   * refused when a secret would still reach the new place from the environment.
   */
  async save(input: unknown, secret = ''): Promise<ProviderView> {
    const parsed = providerSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.join('.') || 'provider';
      throw new ServiceError('bad-provider', `${field}: ${issue.message}`, `Correct ${field} and save again.`);
    }
    const provider = parsed.data;
    const before = this.ctx.settings.current.providers.find((p) => p.id === provider.id);
    // Retired only by a removal that keeps its files' record, and then read-only: its links depend on it.
    if (before?.retired) throw new ServiceError('provider-retired', `Provider "${provider.id}" is retired: it is kept, unchanged, for the links of the files it holds`, 'Add the bucket as a new provider to use it again.');
    delete provider.retired;
    const secrets = this.ctx.secrets();
    // The secret goes in first, so an engine restarted by the save finds it; if the settings cannot be
    // saved, the keychain is put back as it was.
    const previousSecret = secret ? await secrets.getSecret(provider.id).catch(() => null) : null;
    if (secret) await secrets.setSecret(provider.id, secret);
    else {
      // A new provider is a new place too: a secret left in the keychain under its id is not for it.
      const changed = before ? secretBindingChanges(before, provider) : ['new provider'];
      if (changed.length) await this.dropSecret(provider.id, changed);
    }
    try {
      await this.ctx.change(
        (draft) => {
          const i = draft.providers.findIndex((p) => p.id === provider.id);
          if (i >= 0) draft.providers[i] = provider;
          else draft.providers.push(provider);
        },
        (_, after) => provider.id === after.activeStorage,
      );
      // Not restarted for another provider: files still queued for it (retries) get a session with the new settings.
      this.ctx.engine()?.forgetSession(provider.id);
    } catch (error) {
      if (secret) await (previousSecret ? secrets.setSecret(provider.id, previousSecret) : secrets.deleteSecret(provider.id)).catch(() => undefined);
      throw error;
    }
    return (await this.list()).find((v) => v.id === provider.id)!;
  }

  /** Whether the log names this provider for any file (verified there, or to be uploaded or retried there). */
  hasRecords(id: string): boolean {
    return this.ctx.ledger.hasRowsFor(id);
  }

  /**
   * Removes a provider. The active storage cannot be removed (switch first). A provider that holds
   * verified files needs a choice (else ServiceError `provider-holds-files` saying how many):
   * - `keep`: it stays, retired (settings.ts `retired`) with its secret, so the files' links and the log
   *   keep working; it takes no new uploads;
   * - `forget`: the log drops every row recorded for it, then it and its secret go.
   * A provider that holds none is removed with its secret, whichever the mode.
   */
  async remove(id: string, mode?: RemoveMode): Promise<ProviderView[]> {
    const provider = providerById(this.ctx, id);
    if (id === this.ctx.settings.current.activeStorage) {
      throw new ServiceError('provider-active', `Provider "${id}" is the default storage: choose another default storage before removing it`, 'Choose another default storage first, then remove this provider.');
    }
    const held = this.ctx.ledger.heldBy(id);
    if (held > 0 && mode === undefined) {
      throw new ServiceError(
        'provider-holds-files',
        `Provider "${id}" holds ${held === 1 ? '1 offloaded file' : `${held} offloaded files`}: keep their record (the provider stays, retired, for their links) or forget them`,
        'Remove it again, choosing to keep their record or to forget those files.',
      );
    }
    if (held > 0 && mode === 'keep') {
      // Restarted: the engine drops any session it holds for it, and uploads nothing more there.
      if (!provider.retired) await this.ctx.change((draft) => void (draft.providers.find((p) => p.id === id)!.retired = true), () => true);
      return this.list();
    }
    if (mode === 'forget') this.ctx.ledger.forgetProvider(id);
    await this.ctx.change((draft) => void (draft.providers = draft.providers.filter((p) => p.id !== id)), () => true);
    await this.ctx.secrets().deleteSecret(id).catch(() => false);
    return this.list();
  }

  async setSecret(id: string, secret: string): Promise<void> {
    providerById(this.ctx, id);
    if (!secret) throw new ServiceError('empty-secret', 'The secret is empty: nothing was stored', `Pipe the secret in: printf %s "$SECRET" | offload secret set ${id}`);
    await this.ctx.secrets().setSecret(id, secret);
  }

  deleteSecret(id: string): Promise<boolean> {
    return this.ctx.secrets().deleteSecret(id);
  }

  /**
   * The connection test of PRODUCT.md §3 against a provider (default: the active one), through the same
   * provider session the engine uses. What it learns (conditional writes honoured or not) is kept in the
   * ledger for the engine.
   */
  async test(providerId?: string): Promise<ProbeResult> {
    const id = providerId ?? this.ctx.settings.current.activeStorage;
    if (id === LOCAL_STORAGE) throw new ServiceError('no-provider', 'The active storage is Local (this machine): name a provider to test (--provider ID)', 'Name a provider to test: offload test --provider ID.');
    const settings = providerById(this.ctx, id);
    let session;
    try {
      session = await openProviderSession(settings, this.ctx.secrets(), { maxAttempts: 1 });
    } catch (error) {
      if (!(error instanceof ProviderUnusable)) throw error;
      if (error.reason === 'incomplete') throw new ServiceError('provider-incomplete', error.message, error.fix);
      return {
        providerId: id,
        ok: false,
        failure: { step: 'credentials', code: 'no-credentials', message: `No access key and secret for provider "${id}"`, fix: error.fix },
        warnings: [],
        probeKey: null,
        learned: { conditionalWrites: null, writeOnly: false },
      };
    }
    try {
      const result = await runConnectionTest({ provider: session.provider, store: session.store });
      if (result.learned.conditionalWrites !== null) this.ctx.ledger.setProviderFact(id, 'conditionalWrites', result.learned.conditionalWrites);
      return result;
    } finally {
      session.dispose();
    }
  }

  /**
   * Drops a provider's stored secret because where its requests go changed. A secret that still
   * resolves afterwards (OFFLOAD_<ID>_SECRET_ACCESS_KEY) cannot be dropped from here, so the save is
   * refused rather than sign requests to the new place with it.
   */
  private async dropSecret(id: string, changed: readonly string[]): Promise<void> {
    const secrets = this.ctx.secrets();
    await secrets.deleteSecret(id).catch(() => false); // no keychain: nothing in it to drop
    if ((await secrets.getSecret(id).catch(() => null)) === null) return;
    throw new ServiceError(
      'secret-required',
      `Provider "${id}": the ${changed.join(', ')} changed, and its secret could not be dropped (it comes from ${envPrefix(id)}SECRET_ACCESS_KEY, or the keychain refused): enter the secret again with this change, so it is never used somewhere you did not type it for`,
      'Enter the secret again in the same save.',
    );
  }
}
