/**
 * Binds each IPC command of the shared contract to the OffloadService. Main registers these through its
 * validating wrapper; the e2e tests expose the very same table to Chromium, so only the transport differs.
 * What only the desktop can do (folder picker, confirmation dialog, opening links, the clipboard, desktop
 * preferences) comes in as `DesktopPlatform`, supplied by main — or by the test bridge, which records what
 * was asked. The window is not trusted to aim the engine: it can add only a folder the picker returned,
 * and turns on local removal only with the user's yes in main's dialog.
 */
import { resolve } from 'node:path';
import type { DesktopPreferences } from '../shared/desktop';
import type { CommandResults, inputSchemas } from '../shared/ipc/contract';
import type { PauseSupport } from '../shared/pause-conditions';
import { fail, ok, type Result } from '../shared/result';
import type { z } from 'zod';
import type { WatchFolder } from '../shared/settings';
import { PickedFolders } from './picked-folders';
import { anyRemoval, destinationChanges, destinationConsentRequest, retentionConsentRequest, type ConfirmRequest } from './removal-consent';
import type { RetentionPolicy } from '../shared/retention';
import type { AfterUploadSettings } from '../shared/after-upload';
import { commandConsentRequest } from './after-upload/command-consent';
import { showArgs } from './after-upload/notes';
import { CoreError } from './errors';
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
  /** Whether battery power and a metered connection can be told here, and their state now. */
  pauseSupport(): Promise<PauseSupport>;
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
  /** A retention policy that removes more needs the user's yes in main's dialog; nothing is saved without it. */
  const confirmRetention = async (before: RetentionPolicy | undefined, after: RetentionPolicy, where: string) => {
    const request = retentionConsentRequest(before, after, where);
    if (request && !(await platform.confirm(request))) {
      throw new ServiceError(
        'removal-not-confirmed',
        `Not saved: removing local copies of offloaded files ${where === 'every watch folder' ? '' : `in ${where} `}was not confirmed, so nothing changed`,
        'Save again and answer Yes in the dialog to remove local copies, or choose to keep them.',
      );
    }
  };
  /** Only a folder the user chose in the picker may be watched: the window names it, main vouches for it. */
  const addWatchFolder = (folder: WatchFolder) => {
    if (!picked.take(folder.path)) {
      throw new ServiceError(
        'folder-not-picked',
        `${folder.path}: a watch folder must be chosen in the folder picker (this pick is missing, used or expired): choose it with "Choose folder…", then add it`,
        'Choose the folder with "Choose folder…", then add it.',
      );
    }
    return service.watch.add(folder);
  };
  /** A command the window sets runs only after the user's yes in main's dialog; nothing is saved without it. */
  const confirmCommand = async (before: AfterUploadSettings | undefined, after: AfterUploadSettings | null | undefined, where: string) => {
    const request = commandConsentRequest(before, after, where);
    if (request && !(await platform.confirm(request))) {
      throw new ServiceError('command-not-confirmed', `Not saved: running ${showArgs(after!.command)} ${where} was not confirmed, so nothing changed`, 'Save again and answer Yes in the dialog to run the command, or turn "Run a command" off.');
    }
  };
  /**
   * Where copies are verified, changed from the window while local copies are removed, needs the same yes:
   * the storage new files go to, or a provider's `changed` fields (its type, endpoint, bucket).
   */
  const confirmDestination = async (provider: { id: string; label?: string | undefined }, changed: readonly string[]) => {
    const active = provider.id === service.settings.current.activeStorage || changed.length === 0;
    const request = destinationConsentRequest(service.settings.current, provider, changed, active);
    if (request && !(await platform.confirm(request))) {
      const name = provider.label || provider.id;
      throw new ServiceError(
        'removal-not-confirmed',
        `Not saved: ${active ? `sending new files to "${name}"` : `pointing "${name}", which the offload log has files for, elsewhere`} while local copies are removed was not confirmed, so nothing changed`,
        'Answer Yes in the dialog to use it, or choose to keep local copies first (General → Local copies).',
      );
    }
  };
  const pickFolder = async () => {
    const path = await platform.pickFolder();
    if (path !== null) picked.remember(path);
    return path;
  };
  const table: Table = {
    app: { info: () => service.appInfo() },
    status: { get: () => service.statusView() },
    queue: {
      pause: async () => (await service.queue.pause(), service.statusView()),
      resume: async () => (await service.queue.resume(), service.statusView()),
    },
    providers: {
      list: () => service.providers.list(),
      save: async ({ provider, secret }) => {
        const settings = service.settings.current;
        const changed = anyRemoval(settings) ? destinationChanges(settings, provider, () => service.providers.hasRecords(provider.id)) : [];
        if (changed.length) await confirmDestination(provider, changed);
        return service.providers.save(provider, secret);
      },
      remove: ({ id, mode }) => service.providers.remove(id, mode),
      test: ({ id }) => service.providers.test(id),
    },
    storage: {
      setActive: async ({ id }) => {
        const provider = service.settings.current.providers.find((p) => p.id === id);
        if (provider && id !== service.settings.current.activeStorage) await confirmDestination(provider, []);
        return service.storage.setActive(id);
      },
    },
    watch: {
      add: (folder) => addWatchFolder(folder),
      remove: ({ path }) => service.watch.remove(path),
      pickFolder,
      setAfterUpload: async ({ path: given, afterUpload }) => {
        // Resolved as the facet resolves it (`/w/renders/`, `/w/x/../renders`): the question is about that folder.
        const path = resolve(given);
        const folder = service.settings.current.watchFolders.find((f) => f.path === path);
        await confirmCommand(folder?.afterUpload ?? service.settings.current.upload.afterUpload, afterUpload, `after uploads from ${path}`);
        return service.watch.setAfterUpload(path, afterUpload);
      },
      setRetention: async ({ path: given, retention }) => {
        const path = resolve(given);
        const general = service.settings.current.retention;
        const folder = service.settings.current.watchFolders.find((f) => f.path === path);
        await confirmRetention(folder?.retention ?? general, retention ?? general, path);
        return service.watch.setRetention(path, retention);
      },
    },
    move: {
      plan: ({ from, to, ids }) => service.move.plan(from, to, ids),
      start: (request) => service.move.start(request),
      status: () => service.move.status(),
      pause: () => service.move.pause(),
      resume: () => service.move.resume(),
      cancel: () => service.move.cancel(),
    },
    bucket: {
      list: ({ providerId, token, pageSize }) => service.bucket.list(providerId, token, pageSize),
      refresh: ({ providerId, pageSize }) => service.bucket.refresh(providerId, pageSize),
      adopt: ({ providerId, keys }) => service.bucket.adopt(providerId, keys),
    },
    settings: {
      get: () => service.settings.view(),
      saveUpload: async (options) => {
        await confirmCommand(service.settings.current.upload.afterUpload, options.afterUpload, 'after every upload');
        return service.settings.saveUpload(options);
      },
      saveRetention: async (retention) => {
        await confirmRetention(service.settings.current.retention, retention, 'every watch folder');
        return service.settings.saveRetention(retention);
      },
    },
    retention: {
      plan: () => service.retention.plan(),
      apply: () => service.retention.apply(),
      pins: () => service.retention.pins(),
      pin: ({ paths }) => service.retention.pin(paths),
      unpin: ({ paths }) => service.retention.unpin(paths),
    },
    preferences: {
      get: () => platform.preferences.get(),
      save: (patch) => platform.preferences.save(patch),
    },
    log: {
      query: ({ limit, offset, ...filter }) => service.log.page(filter, limit, offset),
      get: ({ id }) => service.log.row(id),
      timeline: ({ id }) => service.log.timeline(id),
      retry: ({ id }) => service.queue.retry(id),
      link: ({ id, presignSeconds }) => service.log.link(id, presignSeconds),
      deleteRemote: ({ id }) => service.log.deleteRemote(id),
      restore: ({ id }) => service.log.restore(id),
      export: ({ format, filter }) => service.log.export(format, filter),
    },
    desktop: {
      openInBrowser: async ({ url }) => (await platform.openInBrowser(url), true as const),
      revealFile: async ({ id }) => (await platform.revealFile(service.log.row(id).path), true as const),
      copyText: async ({ text }) => (await platform.copyText(text), true as const),
      pauseSupport: () => platform.pauseSupport(),
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

/**
 * Errors cross the boundary as values with their code and fix (STYLE.md, ARCHITECTURE.md "The IPC
 * contract"): every core error is a CoreError; anything else is a bug, said as one.
 */
export function asFailure(error: unknown): Result<never> {
  if (error instanceof CoreError) return fail(error.code, error.message, error.fix);
  if (error instanceof Error && error.name === 'ZodError') return fail('bad-input', error.message, 'Correct the field named in the message.');
  return fail('internal', error instanceof Error ? error.message : String(error), 'This is a bug in Offload Companion: please report it with this message. Your files were not touched by it.');
}
