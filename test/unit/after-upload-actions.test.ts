/**
 * After-upload actions as logic (src/core/after-upload/after-upload.ts, upload-finish.ts, burst.ts), with
 * a recorded desktop, ledger and command runner and a hand-driven timer: each upload fires once — at the
 * end of its upload, never for a move or a restore; files finishing together give one clipboard write with
 * a line per link and one notification; a failing action is a timeline line and nothing else; a watch
 * folder's own settings replace the General ones. The real thing runs in
 * test/integration/after-upload.test.ts and test/e2e/after-upload-window.test.ts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { AfterUploadActions, type DeliveredLink } from '../../src/core/after-upload/after-upload';
import { BurstCollector, type Schedule } from '../../src/core/after-upload/burst';
import type { AfterUploadDesktop, AfterUploadNotification } from '../../src/core/after-upload/desktop';
import type { CommandOutcome, RunOptions } from '../../src/core/after-upload/run-command';
import { uploadFinishKey } from '../../src/core/after-upload/upload-finish';
import { TypedEmitter } from '../../src/core/events';
import type { AfterUploadSettings } from '../../src/shared/after-upload';
import type { EngineEvents } from '../../src/shared/events';
import type { TimelineEntry } from '../../src/shared/ipc/contract';
import type { FileRecord, FileState } from '../../src/shared/ledger';
import { settingsSchema, type Settings } from '../../src/shared/settings';

/** A timer the test fires by hand. */
class ManualTimers {
  private timers: { run: () => void; cancelled: boolean }[] = [];
  readonly schedule: Schedule = (run) => {
    const timer = { run, cancelled: false };
    this.timers.push(timer);
    return () => void (timer.cancelled = true);
  };
  /** Fires every timer still set: the quiet time passed. */
  fire(): void {
    const due = this.timers.filter((t) => !t.cancelled);
    this.timers = [];
    due.forEach((t) => t.run());
  }
}

class RecordedDesktop implements AfterUploadDesktop {
  copied: string[] = [];
  opened: string[] = [];
  notified: AfterUploadNotification[] = [];
  clipboardBroken = false;
  async copyText(text: string): Promise<void> {
    if (this.clipboardBroken) throw new Error('no clipboard on this display');
    this.copied.push(text);
  }
  async openLink(url: string): Promise<void> {
    this.opened.push(url);
  }
  async notify(n: AfterUploadNotification): Promise<void> {
    this.notified.push(n);
  }
}

const WATCH = '/data/results';
const OTHER = '/data/stills';

let events: TypedEmitter<EngineEvents>;
let timelines: Map<number, TimelineEntry[]>;
let rows: Map<number, FileRecord>;
let settings: Settings;
let timers: ManualTimers;
let desktop: RecordedDesktop;
let ran: { argv: readonly string[]; options: RunOptions }[];
let linkFails: boolean;
let linkCalls: { id: number; presignSeconds: number | undefined }[];
let actions: AfterUploadActions;
let clock = 1_000;

const configure = (
  general: Partial<AfterUploadSettings>,
  folder?: Partial<AfterUploadSettings>,
  provider: Record<string, unknown> = {},
  retention: Record<string, unknown> = {},
) => {
  settings = settingsSchema.parse({
    watchFolders: [{ path: WATCH }, { path: OTHER, ...(folder ? { afterUpload: folder } : {}) }],
    activeStorage: 'studio',
    providers: [
      {
        id: 'studio',
        type: 'minio',
        bucket: 'b',
        endpoint: 'http://127.0.0.1:9',
        publicUrl: 'https://cdn.example.test',
        ...provider,
      },
    ],
    upload: { afterUpload: general },
    retention,
  });
};

/** The ledger's transition as the engine makes it: a timeline entry, then the event. */
function transition(id: number, state: FileState, patch: Partial<FileRecord> = {}, detail: string | null = null): FileRecord {
  const row: FileRecord = { ...rows.get(id)!, ...patch, state };
  rows.set(id, row);
  timelines.get(id)!.push({ state, at: clock++, detail });
  events.emit('fileChanged', row);
  return row;
}

function newRow(id: number, name: string, root = WATCH): void {
  rows.set(id, {
    id,
    path: `${root}/${name}`,
    watchRoot: root,
    relPath: name,
    size: 10,
    mtimeMs: 1,
    sha256: `sha-${id}`,
    state: 'detected',
    providerId: null,
    bucket: null,
    key: null,
    url: null,
    attempts: 0,
    lastError: null,
    errorCode: null,
    timestamps: {},
    updatedAt: 0,
  });
  timelines.set(id, [{ state: 'detected', at: clock++, detail: null }]);
}

/** detected → queued → uploading → verifying → offloaded, as offload-job.ts writes it. */
function upload(id: number, name: string, options: { root?: string; removed?: boolean; queuedDetail?: string } = {}): void {
  newRow(id, name, options.root);
  transition(id, 'queued', {}, options.queuedDetail ?? null);
  transition(id, 'uploading', { providerId: 'studio', bucket: 'b' });
  transition(id, 'verifying', { key: `results/${name}`, sha256: `sha-${id}` });
  transition(id, 'offloaded');
  if (options.removed) transition(id, 'local-removed');
}

const notes = (id: number) =>
  timelines
    .get(id)!
    .filter((t) => t.detail?.startsWith('after upload:'))
    .map((t) => t.detail);

beforeEach(() => {
  events = new TypedEmitter<EngineEvents>();
  timelines = new Map();
  rows = new Map();
  timers = new ManualTimers();
  desktop = new RecordedDesktop();
  ran = [];
  linkFails = false;
  linkCalls = [];
  configure({});
  actions = new AfterUploadActions({
    events,
    ledger: {
      timeline: (id) => [...timelines.get(id)!],
      note: (id, detail) => void timelines.get(id)!.push({ state: rows.get(id)!.state, at: clock++, detail }),
      pins: { isPinned: () => false },
    },
    settings: () => settings,
    link: async (id, presignSeconds) => {
      linkCalls.push({ id, presignSeconds });
      if (linkFails) throw new Error('provider "studio" is no longer configured');
      const key = rows.get(id)!.key!;
      return presignSeconds === undefined
        ? { url: `https://cdn.example.test/${key}`, expiresIn: null }
        : { url: `https://s3.test/b/${key}?X-Amz-Expires=${presignSeconds}`, expiresIn: presignSeconds };
    },
    schedule: timers.schedule,
    run: async (argv, options): Promise<CommandOutcome> => {
      ran.push({ argv, options });
      const failing = argv.includes('--fail');
      return {
        exitCode: failing ? 2 : 0,
        signal: null,
        timedOut: false,
        stopped: false,
        startError: null,
        lastLines: failing ? ['disk full'] : [`hook saw ${argv.at(-1)}`],
        ms: 120,
      };
    },
  });
  actions.useDesktop(desktop);
});

describe('when actions run', () => {
  it('runs nothing while every action is off', async () => {
    upload(1, 'a.png');
    await actions.settled();
    expect([desktop.copied, ran, linkCalls, notes(1)]).toEqual([[], [], [], []]);
  });

  it('copies the formatted link once the upload is verified, and once only', async () => {
    configure({ copyLink: true, format: 'markdown' });
    upload(1, 'castle.png');
    events.emit('fileChanged', rows.get(1)!); // the same state announced again fires nothing more
    await actions.settled();
    expect(desktop.copied).toEqual(['![castle.png](https://cdn.example.test/results/castle.png)']);
    expect(notes(1)).toEqual(['after upload: link copied to the clipboard']);
    // A note never changes the file's state.
    expect(timelines.get(1)!.at(-1)!.state).toBe('offloaded');
  });

  it('waits for the local copy to be removed when the retention policy removes it right away, so a command finds the file where the log says', async () => {
    configure({ runCommand: true, command: ['hook', '{path}'] }, undefined, {}, { rightAway: true });
    upload(1, 'a.png');
    await actions.settled();
    expect(ran).toEqual([]);
    transition(1, 'local-removed');
    upload(2, 'b.png');
    transition(2, 'offloaded', { errorCode: 'kept-local', lastError: 'the local file changed' }, 'the local file changed');
    await actions.settled();
    expect(ran.map((r) => r.argv)).toEqual([
      ['hook', `${WATCH}/a.png`],
      ['hook', `${WATCH}/b.png`],
    ]);
  });

  it('does not run for a move (repointed, or uploaded from this machine) or a restore', async () => {
    configure({ copyLink: true, runCommand: true, command: ['hook', '{url}'] });
    upload(1, 'a.png');
    await actions.settled();
    expect(ran).toHaveLength(1);
    transition(
      1,
      'offloaded',
      { providerId: 'studio', key: 'moved/a.png' },
      'moved from old (b/results/a.png) to studio (b/moved/a.png)',
    );
    upload(2, 'b.png', { queuedDetail: 'moving from this machine to studio' });
    transition(1, 'local-removed');
    transition(1, 'offloaded', { errorCode: 'restored' }, 'restored from b/moved/a.png');
    await actions.settled();
    expect(ran).toHaveLength(1);
    expect(desktop.copied).toHaveLength(1);
  });

  it('fires again for a new upload of the same row (a retry after a failed verify)', () => {
    const timeline: TimelineEntry[] = [
      { state: 'queued', at: 1, detail: null },
      { state: 'uploading', at: 2, detail: null },
      { state: 'verifying', at: 3, detail: null },
      { state: 'queued', at: 4, detail: 'the bucket answered 503; retrying in 2 s' },
      { state: 'uploading', at: 5, detail: null },
      { state: 'verifying', at: 6, detail: null },
      { state: 'offloaded', at: 7, detail: null },
    ];
    const row = { id: 9, state: 'offloaded', errorCode: null } as FileRecord;
    expect(uploadFinishKey(row, timeline, false)).toBe('9:6');
    expect(uploadFinishKey(row, timeline, true)).toBeNull();
    expect(
      uploadFinishKey(
        row,
        [
          ...timeline,
          { state: 'offloaded', at: 8, detail: 'after upload: link copied to the clipboard' },
          { state: 'offloaded', at: 9, detail: 'moved from a to b' },
        ],
        false,
      ),
    ).toBeNull();
    // Removal turned on later: the engine checks the verified row again and removes it — not a new upload.
    const removalPass: TimelineEntry[] = ['queued', 'uploading', 'verifying', 'local-removed'].map((state, i) => ({
      state: state as FileState,
      at: 10 + i,
      detail: null,
    }));
    expect(
      uploadFinishKey(
        { ...row, state: 'local-removed' },
        [...timeline, ...removalPass.slice(0, 3), { state: 'offloaded', at: 13, detail: null }, removalPass[3]!],
        true,
      ),
    ).toBeNull();
  });
});

describe('bursts', () => {
  it('gives files finishing together one clipboard write, a line per link, and one notification', async () => {
    configure({ copyLink: true, notify: true, openLink: true });
    upload(1, 'f1.png');
    upload(2, 'f2.png');
    upload(3, 'f3.png');
    await new Promise((r) => setImmediate(r)); // links made; the burst is still open
    expect(desktop.copied).toEqual([]);
    timers.fire();
    await actions.settled();
    const links = [1, 2, 3].map((i) => `https://cdn.example.test/results/f${i}.png`);
    expect(desktop.copied).toEqual([links.join('\n')]);
    expect(desktop.notified).toEqual([
      {
        title: '3 files offloaded',
        body: 'f1.png, f2.png, f3.png.\nClick to copy their links.',
        click: { kind: 'copy', text: links.join('\n') },
      },
    ]);
    // No storm of tabs: a burst opens nothing and each file's timeline says why.
    expect(desktop.opened).toEqual([]);
    expect(notes(2)).toEqual([
      'after upload: link copied to the clipboard with 2 other links that finished at the same time',
      'after upload: link not opened in the browser: 3 files finished together, and only a file finishing on its own opens',
    ]);

    upload(4, 'f4.png');
    timers.fire();
    await actions.settled();
    expect(desktop.copied).toEqual([links.join('\n'), 'https://cdn.example.test/results/f4.png']);
    expect(desktop.opened).toEqual(['https://cdn.example.test/results/f4.png']);
    expect(desktop.notified.at(-1)).toMatchObject({
      title: 'Offloaded: f4.png',
      click: { kind: 'copy', text: 'https://cdn.example.test/results/f4.png' },
    });
  });

  it('ends a burst after the quiet time, or at its longest, whichever comes first', () => {
    let now = 0;
    const delivered: number[][] = [];
    const waits: number[] = [];
    const pending: (() => void)[] = [];
    const burst = new BurstCollector<number>({
      deliver: (items) => delivered.push(items),
      quietMs: 2_000,
      maxMs: 10_000,
      now: () => now,
      schedule: (run, ms) => (waits.push(ms), pending.push(run), () => void pending.splice(pending.indexOf(run), 1)),
    });
    for (let i = 0; i < 6; i++) {
      burst.add(i);
      now += 1_900; // each file within 2 s of the one before
    }
    expect(waits).toEqual([2_000, 2_000, 2_000, 2_000, 2_000, 500]);
    pending.at(-1)!();
    expect(delivered).toEqual([[0, 1, 2, 3, 4, 5]]);
    burst.flush();
    expect(delivered).toHaveLength(1);
  });
});

describe('failures and settings', () => {
  it('records a clipboard that cannot be written and a failing command in the timeline, and nothing else', async () => {
    configure({ copyLink: true, runCommand: true, command: ['hook', '--fail', '{name}'] });
    desktop.clipboardBroken = true;
    upload(1, 'a.png');
    timers.fire();
    await actions.settled();
    expect(notes(1)).toEqual([
      'after upload: command failed: hook --fail a.png exited with 2 after 0.1 s; last lines: disk full',
      'after upload: the link could not be copied to the clipboard (no clipboard on this display)',
    ]);
    expect(rows.get(1)!.state).toBe('offloaded');
    expect(
      timelines
        .get(1)!
        .filter((t) => !t.detail?.startsWith('after upload:'))
        .at(-1)!.state,
    ).toBe('offloaded');
  });

  it('says when no link could be made, and skips a command that needs {url}', async () => {
    configure({ copyLink: true, runCommand: true, command: ['hook', '{url}'] });
    linkFails = true;
    upload(1, 'a.png');
    await actions.settled();
    expect(ran).toEqual([]);
    expect(notes(1)).toEqual([
      'after upload: no link could be made (provider "studio" is no longer configured), so the actions that need one did nothing',
      'after upload: the command was not run: it needs {url}, and no link could be made',
    ]);
  });

  it('uses the public URL or a presigned link for the chosen time', async () => {
    configure({ copyLink: true, link: 'presigned', presignSeconds: 600 });
    upload(1, 'a.png');
    configure({ copyLink: true, link: 'public', presignSeconds: 900 }, undefined, { publicUrl: null });
    upload(2, 'b.png');
    configure({ copyLink: true, link: 'public' });
    upload(3, 'c.png');
    await actions.settled();
    expect(linkCalls).toEqual([
      { id: 1, presignSeconds: 600 },
      { id: 2, presignSeconds: 900 },
      { id: 3, presignSeconds: undefined },
    ]);
  });

  it("uses a watch folder's own settings in place of the General ones", async () => {
    configure({ copyLink: true }, { copyLink: false, runCommand: true, command: ['hook', '{key}'], commandTimeoutSeconds: 5 });
    upload(1, 'a.png');
    upload(2, 'b.png', { root: OTHER });
    timers.fire();
    await actions.settled();
    expect(desktop.copied).toEqual(['https://cdn.example.test/results/a.png']);
    expect(ran).toEqual([{ argv: ['hook', 'results/b.png'], options: expect.objectContaining({ timeoutMs: 5_000 }) }]);
  });

  it('without a desktop (the headless command), hands each link out and runs the command', async () => {
    const headless: DeliveredLink[] = [];
    actions.onDidDeliverLink((l) => headless.push(l));
    actions.useDesktop(desktop)(); // the desktop goes away
    configure({ copyLink: true, format: 'html', runCommand: true, command: ['hook', '{sha256}'] });
    upload(1, 'a.png');
    await actions.settled();
    expect(headless.map((l) => l.text)).toEqual(['<img src="https://cdn.example.test/results/a.png" alt="a.png">']);
    expect(desktop.copied).toEqual([]);
    expect(ran.map((r) => r.argv)).toEqual([['hook', 'sha-1']]);
  });

  it('stops: later uploads run nothing, and the open burst is delivered', async () => {
    configure({ copyLink: true });
    upload(1, 'a.png');
    await Promise.resolve();
    await actions.stop();
    expect(desktop.copied).toEqual(['https://cdn.example.test/results/a.png']);
    upload(2, 'b.png');
    await actions.settled();
    expect(desktop.copied).toHaveLength(1);
    await actions.stop();
  });
});
