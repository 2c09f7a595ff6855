/**
 * After-upload actions (issue #18): once a file's upload is verified, its link is made (public / CDN or
 * presigned, through the log's own link logic), formatted, and handed to the actions the settings turn
 * on — for the General settings or the file's watch folder's own. Files finishing within 2 s of each other
 * form one burst: one clipboard write with every link on its own line, one notification that sums them
 * up. The command action runs per file, one at a time, without a shell, bounded by its timeout.
 *
 * An action never changes a file's state: whatever it did or failed to do (a command's exit status and
 * last lines, a clipboard that could not be written) is a line in the file's timeline (Ledger.note).
 */
import { stat } from 'node:fs/promises';
import {
  anyAction,
  baseName,
  commandArgs,
  formatLinkText,
  placeholdersIn,
  type AfterUploadSettings,
  type PlaceholderValues,
} from '../../shared/after-upload';
import type { EngineEvents } from '../../shared/events';
import type { LinkResult } from '../../shared/ipc/contract';
import { verifiedStates, type FileRecord } from '../../shared/ledger';
import type { ProviderSettings, Settings } from '../../shared/settings';
import type { TypedEmitter } from '../events';
import type { Ledger } from '../ledger/ledger';
import type { PinList } from '../ledger/pins';
import { BurstCollector, type Schedule } from './burst';
import type { AfterUploadDesktop, AfterUploadNotification } from './desktop';
import { commandNote, NOTE_PREFIX } from './notes';
import { runCommand } from './run-command';
import { uploadFinishKey } from './upload-finish';
import { policyFor } from '../retention/policy-for';

export interface AfterUploadContext {
  events: TypedEmitter<EngineEvents>;
  ledger: Pick<Ledger, 'timeline' | 'note'> & { pins: Pick<PinList, 'isPinned'> };
  settings(): Readonly<Settings>;
  /** The log's link logic (LogFacet.link): through the provider the file was stored with. */
  link(id: number, presignSeconds?: number): Promise<LinkResult>;
  /** Stand-ins for unit tests: how a command runs, and the burst's timer. */
  run?: typeof runCommand;
  schedule?: Schedule;
}

/** A file's link, made and formatted: what the headless command prints. */
export interface DeliveredLink {
  row: FileRecord;
  url: string;
  /** The link in the chosen format (what is copied). */
  text: string;
}

interface Finished extends DeliveredLink {
  actions: AfterUploadSettings;
}

/** How many upload keys are remembered to fire once (far more than can finish in one burst). */
const REMEMBERED = 10_000;

/** The actions for a file: its watch folder's own when it has them, else the General ones. */
export function afterUploadFor(settings: Readonly<Settings>, watchRoot: string): AfterUploadSettings {
  return settings.watchFolders.find((f) => f.path === watchRoot)?.afterUpload ?? settings.upload.afterUpload;
}

/** What a template's placeholders stand for, for one file. */
export function placeholderValues(row: FileRecord, url: string): PlaceholderValues {
  return {
    path: row.path,
    url,
    key: row.key ?? '',
    provider: row.providerId ?? '',
    sha256: row.sha256 ?? '',
    name: baseName(row.path),
  };
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The one notification for a burst: the file and its link, or how many and which. */
export function burstNotification(items: readonly Finished[]): AfterUploadNotification {
  const [first] = items;
  const copy = { kind: 'copy' as const, text: items.map((i) => i.text).join('\n') };
  if (items.length === 1 && first) {
    const open = first.actions.notificationClick === 'open';
    return {
      title: `Offloaded: ${baseName(first.row.path)}`,
      body: `${first.url}\n${open ? 'Click to open the link.' : 'Click to copy the link.'}`,
      click: open ? { kind: 'open', url: first.url } : copy,
    };
  }
  const names = items.slice(0, 3).map((i) => baseName(i.row.path));
  const more = items.length > 3 ? ` and ${items.length - 3} more` : '';
  const open = items.every((i) => i.actions.notificationClick === 'open');
  return {
    title: `${items.length} files offloaded`,
    body: `${names.join(', ')}${more}.\n${open ? 'Click to open the offload log.' : 'Click to copy their links.'}`,
    click: open ? { kind: 'log' } : copy,
  };
}

export class AfterUploadActions {
  private desktop: AfterUploadDesktop | null = null;
  private readonly fired = new Set<string>();
  private readonly linkListeners = new Set<(link: DeliveredLink) => void>();
  private readonly burst: BurstCollector<Finished>;
  /** Commands run one after another: a burst of forty frames does not start forty programs at once. */
  private commands: Promise<void> = Promise.resolve();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly closing = new AbortController();
  private readonly unsubscribe: () => void;

  constructor(private readonly ctx: AfterUploadContext) {
    const options = { deliver: (items: Finished[]) => this.track(this.deliver(items)) };
    this.burst = new BurstCollector<Finished>(ctx.schedule ? { ...options, schedule: ctx.schedule } : options);
    this.unsubscribe = ctx.events.on('fileChanged', (row) => this.consider(row));
  }

  /** Gives the actions a desktop (clipboard, notifications, browser); returns its removal. */
  useDesktop(desktop: AfterUploadDesktop): () => void {
    this.desktop = desktop;
    return () => {
      if (this.desktop !== desktop) return;
      this.burst.flush();
      this.desktop = null;
    };
  }

  /** Each uploaded file's formatted link, when a link action is on (the headless command prints it). */
  onDidDeliverLink(listener: (link: DeliveredLink) => void): () => void {
    this.linkListeners.add(listener);
    return () => this.linkListeners.delete(listener);
  }

  /** Resolves once every action started so far has finished, the open burst delivered now rather than after its quiet time. */
  async settled(): Promise<void> {
    for (;;) {
      if (this.pending.size) await Promise.allSettled([...this.pending]);
      else if (this.burst.pending) this.burst.flush();
      else return;
    }
  }

  /** Stops listening, stops running commands (the timeline says so) and finishes the rest. Idempotent. */
  async stop(): Promise<void> {
    this.unsubscribe();
    this.closing.abort();
    await this.settled();
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.catch(() => undefined).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  private consider(row: FileRecord): void {
    if (!verifiedStates.has(row.state) || this.closing.signal.aborted) return;
    const settings = this.ctx.settings();
    const actions = afterUploadFor(settings, row.watchRoot);
    if (!anyAction(actions)) return;
    const provider = settings.providers.find((p) => p.id === row.providerId);
    const removalFollows = policyFor(settings, row.watchRoot).rightAway && !this.ctx.ledger.pins.isPinned(row.path);
    const key = uploadFinishKey(row, this.ctx.ledger.timeline(row.id), removalFollows);
    if (!key || this.fired.has(key)) return;
    this.fired.add(key);
    if (this.fired.size > REMEMBERED) this.fired.delete(this.fired.values().next().value!);
    this.track(this.handle(row, actions, provider));
  }

  private async handle(row: FileRecord, actions: AfterUploadSettings, provider: ProviderSettings | undefined): Promise<void> {
    const linkActions = actions.copyLink || actions.notify || actions.openLink;
    const commandNeedsUrl = actions.runCommand && actions.command.slice(1).some((arg) => placeholdersIn(arg).has('url'));
    let url: string | null = null;
    if (linkActions || commandNeedsUrl) {
      // A public / CDN link when the provider has one and it was asked for; otherwise presigned for the chosen time.
      const presign = actions.link === 'public' && provider?.publicUrl ? undefined : actions.presignSeconds;
      url = await this.ctx.link(row.id, presign).then(
        (link) => link.url,
        (error: unknown) => (
          this.note(
            row.id,
            `${NOTE_PREFIX} no link could be made (${messageOf(error)}), so the actions that need one did nothing`,
          ),
          null
        ),
      );
    }
    const values = placeholderValues(row, url ?? '');
    if (url !== null && linkActions) {
      const delivered: Finished = { row, url, text: formatLinkText(actions, values), actions };
      for (const listener of this.linkListeners) {
        try {
          listener(delivered);
        } catch {
          // A listener's bug (the command's printing) must not cost the other actions.
        }
      }
      if (this.desktop) this.burst.add(delivered);
    }
    if (!actions.runCommand) return;
    if (commandNeedsUrl && url === null)
      return this.note(row.id, `${NOTE_PREFIX} the command was not run: it needs {url}, and no link could be made`);
    this.queueCommand(row, commandArgs(actions.command, values), actions.commandTimeoutSeconds);
  }

  private queueCommand(row: FileRecord, argv: string[], timeoutSeconds: number): void {
    const run = this.commands.then(async () => {
      if (this.closing.signal.aborted)
        return this.note(row.id, `${NOTE_PREFIX} the command was not run: Offload Companion was closing`);
      // In the watch folder (a command may use relative paths); not when it is gone, which would fail the start.
      const cwd = (await stat(row.watchRoot).catch(() => null))?.isDirectory() ? row.watchRoot : undefined;
      const outcome = await (this.ctx.run ?? runCommand)(argv, {
        timeoutMs: timeoutSeconds * 1000,
        cwd,
        signal: this.closing.signal,
      });
      this.note(row.id, commandNote(argv, outcome, timeoutSeconds));
    });
    this.commands = run.catch(() => undefined);
    this.track(run);
  }

  /** One burst through the desktop: one clipboard write, one notification, and a link opened only for a lone file. */
  private async deliver(items: Finished[]): Promise<void> {
    const desktop = this.desktop;
    if (!desktop) return;
    const copied = items.filter((i) => i.actions.copyLink);
    if (copied.length) {
      const others = copied.length > 1 ? ` with ${plural(copied.length - 1, 'other link')} that finished at the same time` : '';
      await desktop.copyText(copied.map((i) => i.text).join('\n')).then(
        () => copied.forEach((i) => this.note(i.row.id, `${NOTE_PREFIX} link copied to the clipboard${others}`)),
        (error: unknown) =>
          copied.forEach((i) =>
            this.note(i.row.id, `${NOTE_PREFIX} the link could not be copied to the clipboard (${messageOf(error)})`),
          ),
      );
    }
    const notified = items.filter((i) => i.actions.notify);
    if (notified.length) {
      await desktop
        .notify(burstNotification(notified))
        .catch((error: unknown) =>
          notified.forEach((i) => this.note(i.row.id, `${NOTE_PREFIX} no notification could be shown (${messageOf(error)})`)),
        );
    }
    const opened = items.filter((i) => i.actions.openLink);
    if (opened.length === 1) {
      const [only] = opened;
      await desktop.openLink(only!.url).then(
        () => this.note(only!.row.id, `${NOTE_PREFIX} link opened in the browser`),
        (error: unknown) =>
          this.note(only!.row.id, `${NOTE_PREFIX} the link could not be opened in the browser (${messageOf(error)})`),
      );
    } else if (opened.length > 1) {
      // Never a storm of browser tabs: a file that finishes on its own opens; a burst's links are copied or notified.
      opened.forEach((i) =>
        this.note(
          i.row.id,
          `${NOTE_PREFIX} link not opened in the browser: ${opened.length} files finished together, and only a file finishing on its own opens`,
        ),
      );
    }
  }

  /** A line in the file's timeline; nothing when the ledger is closed (the service is gone). */
  private note(id: number, detail: string): void {
    try {
      this.ctx.ledger.note(id, detail);
    } catch {
      // The ledger is closed or cannot be written: the engine reports that itself, and there is nowhere to record this.
    }
  }
}
