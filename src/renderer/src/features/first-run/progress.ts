/**
 * How far the first-run setup got, kept by the renderer in localStorage (the window's own storage,
 * inside the app's profile) so the setup can be left at any step and taken up again, across restarts.
 * Only what the user chose and typed is kept here — the step, the provider type and its unsaved draft,
 * the picked folder — never a secret: the secret field lives in the form alone, and a resumed setup asks
 * for it again. Nothing here is a setting: a provider or a folder exists only once the engine saved it.
 * Read through a schema, so a damaged or older entry starts the setup afresh instead of breaking it.
 */
import { useSyncExternalStore } from 'react';
import { z } from 'zod';
import { providerCatalog, type ProviderType } from '../../../../shared/providers/catalog';
import type { ProviderDraft } from '../providers/draft';
import { setupSteps } from './steps';

const STORAGE_KEY = 'offload.first-run';

const providerType = z.custom<ProviderType>((t) => typeof t === 'string' && Object.hasOwn(providerCatalog, t));

const draftSchema = z.object({
  id: z.string(),
  type: providerType,
  label: z.string(),
  enabled: z.boolean(),
  bucket: z.string(),
  accessKeyId: z.string(),
  region: z.string(),
  accountId: z.string(),
  endpoint: z.string(),
  publicUrl: z.string(),
  keyPrefix: z.string(),
  forcePathStyle: z.boolean(),
  storageClass: z.string(),
  keyTemplate: z.string(),
}) satisfies z.ZodType<ProviderDraft>;

const progressSchema = z.object({
  /**
   * none: never started; active: under way (the window opens on it); later: put off with "Set up later"
   * (the dashboard offers "Finish setup"); done: finished.
   */
  status: z.enum(['none', 'active', 'later', 'done']),
  /** The step last shown, where the setup resumes. */
  step: z.enum(setupSteps),
  /** The provider type chosen on the first step. */
  type: providerType.nullable(),
  /** The provider being entered, not saved: it is saved only once complete and its connection test passed. */
  draft: draftSchema.nullable(),
  /** The provider this setup saved after its test passed. */
  providerId: z.string().nullable(),
  /** The folder picked and not yet added. */
  folder: z.string().nullable(),
  offloadExisting: z.boolean(),
});
export type SetupProgress = z.infer<typeof progressSchema>;

export const initialProgress: SetupProgress = {
  status: 'none',
  step: 'provider',
  type: null,
  draft: null,
  providerId: null,
  folder: null,
  offloadExisting: false,
};

/** localStorage can be missing or refuse (storage turned off): the setup then lasts as long as the window. */
function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function load(): SetupProgress {
  try {
    const parsed = progressSchema.safeParse(JSON.parse(storage()?.getItem(STORAGE_KEY) ?? 'null'));
    return parsed.success ? parsed.data : initialProgress;
  } catch {
    return initialProgress; // not JSON: start afresh
  }
}

let current: SetupProgress | null = null;
const listeners = new Set<() => void>();

export function readProgress(): SetupProgress {
  current ??= load();
  return current;
}

/** Changes the progress, stores it and tells every screen showing it. */
export function updateProgress(change: (p: SetupProgress) => SetupProgress): void {
  const next = change(readProgress());
  if (next === current) return;
  current = next;
  try {
    storage()?.setItem(STORAGE_KEY, JSON.stringify(next));
  } catch {
    // Full or refused storage: the progress still holds for this window.
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The progress, re-rendering on every change, and the function that changes it. */
export function useProgress(): [SetupProgress, (change: (p: SetupProgress) => SetupProgress) => void] {
  const progress = useSyncExternalStore(subscribe, readProgress);
  return [progress, updateProgress];
}
