/**
 * Binds each IPC command of the shared contract to the OffloadService. Main registers these through its
 * validating wrapper; the e2e tests expose the very same table to Chromium, so only the transport differs.
 * What only the desktop can do (folder picker, confirmation dialog, opening links, the clipboard, desktop
 * preferences) comes in as `DesktopPlatform`, supplied by main — or by the test bridge, which records what
 * was asked. The window is not trusted to aim the engine: it can add only a folder the picker returned,
 * and turns on local removal only with the user's yes in main's dialog.
 */
import type { DesktopPreferences } from '../shared/desktop';
import type { CommandResults, inputSchemas } from '../shared/ipc/contract';
import { fail, ok, type Result } from '../shared/result';
import type { z } from 'zod';
import type { ProviderSettings, WatchFolder } from '../shared/settings';
import { PickedFolders } from './picked-folders';
import { removalConsentRequest, type ConfirmRequest } from './removal-consent';
import { ServiceError, type OffloadService } from './service';

export type { ConfirmRequest };

/** A command handler: the payload has already been parsed with the command's schema. */
export type CommandHandler = (input: unknown) => Promise<Result<unknown>>;

export interface DesktopPlatform {
  /** Shows the OS folder picker; null when the user cancels. */
  pickFolder(): Promise<string | null>;
  /** Asks the user in a dialog the window cannot draw or answer; true only when they say yes. */
  confirm(request: ConfirmRequest): Promise<boolean>;
  /** Opens an http(s) link in the user's browser. */
  openInBrowser(url: string): Promise<void>;
  /** Shows a local file in the OS file manager. */
  revealFile(path: string): Promise<void>;
  copyText(text: string): Promise<void>;
  preferences: { get(): DesktopPreferences; save(patch: Partial<DesktopPreferences>): DesktopPreferences };
}

type Schemas = typeof inputSchemas;
type Table = {
  [G in keyof CommandResults]: {
    [C in keyof CommandResults[G]]: (input: C extends keyof Schemas[G] ? (Schemas[G][C] extends z.ZodType ? z.output<Schemas[G][C]> : never) : never) => Promise<CommandResults[G][C]> | CommandResults[G][C];
  };
};

/**
 * The command table. `picked` holds what the folder picker returned this session (one per window
 * session; tests pass their own to control the clock).
 */
export function createCommandHandlers(service: OffloadService, platform: DesktopPlatform, picked = new PickedFolders()): Record<string, CommandHandler> {
  /** Turning local removal on from the window needs the user's yes in main's dialog; nothing is saved without it. */
  const saveProvider = async (provider: ProviderSettings, secret: string) => {
    const request = removalConsentRequest(service.settings.providers.find((p) => p.id === provider.id), provider);
    if (request && !(await platform.confirm(request))) {
      throw new ServiceError('removal-not-confirmed', `Not saved: removing local copies after upload with "${provider.label || provider.id}" was not confirmed, so nothing changed`);
    }
    return service.saveProvider(provider, secret);
  };
  /** Only a folder the user chose in the picker may be watched: the window names it, main vouches for it. */
  const addWatchFolder = (folder: WatchFolder) => {
    if (!picked.take(folder.path)) {
      throw new ServiceError('folder-not-picked', `${folder.path}: a watch folder must be chosen in the folder picker (this pick is missing, used or expired): choose it with "Choose folder…", then add it`);
    }
    return service.addWatchFolder(folder);
  };
  const pickFolder = async () => {
    const path = await platform.pickFolder();
    if (path !== null) picked.remember(path);
    return path;
  };
  const table: Table = {
    app: { info: () => service.appInfo() },
    status: { get: () => service.status() },
    queue: {
      pause: () => (service.pause(), service.status()),
      resume: () => (service.resume(), service.status()),
    },
    providers: {
      list: () => service.providerViews(),
      save: ({ provider, secret }) => saveProvider(provider, secret),
      remove: ({ id }) => service.removeProvider(id),
      test: ({ id }) => service.testConnection(id),
    },
    storage: { setActive: ({ id }) => service.setActiveStorage(id) },
    watch: {
      add: (folder) => addWatchFolder(folder),
      remove: ({ path }) => service.removeWatchFolder(path),
      pickFolder,
    },
    settings: {
      get: () => service.settingsView(),
      saveUpload: (options) => service.saveUploadOptions(options),
    },
    preferences: {
      get: () => platform.preferences.get(),
      save: (patch) => platform.preferences.save(patch),
    },
    log: {
      query: ({ limit, offset, ...filter }) => service.logPage(filter, limit, offset),
      get: ({ id }) => service.row(id),
      timeline: ({ id }) => service.timeline(id),
      retry: ({ id }) => service.retry(id),
      link: ({ id, presignSeconds }) => service.linkForId(id, presignSeconds),
      deleteRemote: ({ id }) => service.deleteRemote(id),
      export: ({ format, filter }) => service.exportLog(format, filter),
    },
    desktop: {
      openInBrowser: async ({ url }) => (await platform.openInBrowser(url), true as const),
      revealFile: async ({ id }) => (await platform.revealFile(service.row(id).path), true as const),
      copyText: async ({ text }) => (await platform.copyText(text), true as const),
    },
  };
  const handlers: Record<string, CommandHandler> = {};
  for (const [group, commands] of Object.entries(table)) {
    for (const [name, run] of Object.entries(commands as Record<string, (input: unknown) => unknown>)) {
      handlers[`${group}.${name}`] = async (input) => {
        try {
          return ok(await run(input));
        } catch (error) {
          return asFailure(error);
        }
      };
    }
  }
  return handlers;
}

/** Errors cross the boundary as values with a stable code (STYLE.md, ARCHITECTURE.md "The IPC contract"). */
function asFailure(error: unknown): Result<never> {
  if (error instanceof ServiceError) return fail(error.code, error.message);
  if (error instanceof Error && error.name === 'ZodError') return fail('bad-input', error.message);
  return fail('internal', error instanceof Error ? error.message : String(error));
}
