/**
 * The retention policy at work (issue #19; IPC group `retention`, `offload retention`, `offload pin`):
 * what it would remove now, a pass now, pins, the dashboard's figures, and its own schedule while the
 * engine runs — the age rule every few minutes, the low-space rule whenever a cheap disk check says a
 * watch folder's disk is under its mark (after files are offloaded, and on a timer). The rules and the
 * proof before each removal are in retention-plan.ts and retention-pass.ts.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { FileRecord } from '../../shared/ledger';
import type { Pin, RetentionFigures, RetentionPlan, RetentionReport } from '../../shared/retention';
import { describeRetention, removesLocalCopies } from '../../shared/retention';
import type { ServiceContext } from '../facets/context';
import type { SecretStore } from '../secrets/secret-store';
import { diskSpace, readDisk } from './disk-space';
import { policyFor } from './policy-for';
import { runRetentionPass } from './retention-pass';
import { planRetention } from './retention-plan';

export interface RetentionOptions {
  /** The clock the age rule reads (tests move it forward). */
  now: () => number;
  /** How often the disks are checked while the engine runs. */
  diskCheckMs: number;
  /** How often the age rule runs while the engine runs. */
  ageCheckMs: number;
  /** How long after an offload the disks are checked (offloads come in bursts). */
  afterOffloadMs: number;
}

/** How long a candidate a pass kept is left alone by the next passes. */
const KEPT_BACKOFF_MS = 60 * 60_000;

const DEFAULTS: RetentionOptions = { now: Date.now, diskCheckMs: 60_000, ageCheckMs: 10 * 60_000, afterOffloadMs: 2_000 };

export class RetentionFacet {
  private readonly o: RetentionOptions;
  /** The pass running now: a second request waits for it and then runs its own. */
  private running: Promise<RetentionReport> | null = null;
  private timers: NodeJS.Timeout[] = [];
  private soon: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private figuresCache: { at: number; plan: RetentionPlan } | null = null;
  /** Stops the pass under way at the next file (the engine stops, the app quits). */
  private abortPass: AbortController | null = null;
  /**
   * Candidates a pass kept, and when: the schedule leaves them alone for a while rather than hash them
   * again every minute while what keeps them lasts (offline, a file locked open, an aside copy in the way).
   */
  private readonly keptAt = new Map<number, number>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly secrets: () => SecretStore,
    options: Partial<RetentionOptions> = {},
  ) {
    this.o = { ...DEFAULTS, ...options };
    // A changed policy or folder list changes what the figures say: read afresh next time.
    ctx.events.on('settingsChanged', () => void (this.figuresCache = null));
  }

  /** What a pass would remove now, and the bytes it frees (`offload retention --dry-run`). */
  async plan(options: { scheduled?: boolean } = {}): Promise<RetentionPlan> {
    const settings = this.ctx.settings.current;
    const disks = new Map<string, { space: ReturnType<typeof diskSpace>; device: number }>();
    await Promise.all(
      settings.watchFolders.map(async (folder) => {
        const reading = await readDisk(folder.path);
        if (reading) disks.set(folder.path, { space: diskSpace(folder.path, reading, policyFor(settings, folder.path).lowSpace), device: reading.device });
      }),
    );
    const moving = new Set(this.ctx.ledger.moves.all().map((m) => m.fileId));
    // No rule on anywhere: nothing to read (the log's offloaded rows are many on a large library).
    const anyRule = [settings.retention, ...settings.watchFolders.map((f) => policyFor(settings, f.path))].some(removesLocalCopies);
    // Only files of folders watched now: a folder no longer watched has no policy of its own any more.
    const watched = new Set(settings.watchFolders.map((f) => f.path));
    const rows = anyRule ? this.ctx.ledger.latestInStates(['offloaded']).filter((r) => watched.has(r.watchRoot) && !(options.scheduled && this.keptRecently(r.id))) : [];
    const plan = planRetention({
      rows,
      now: this.o.now(),
      policyFor: (root) => policyFor(settings, root),
      isPinned: this.ctx.ledger.pins.matcher(),
      isMoving: (id) => moving.has(id),
      disks,
    });
    this.figuresCache = { at: Date.now(), plan };
    return plan;
  }

  /** Applies the policy now (`offload retention --now`, the dashboard's "Free up space now"). */
  async apply(options: { scheduled?: boolean } = {}): Promise<RetentionReport> {
    while (this.running) await this.running.catch(() => undefined);
    const abort = new AbortController();
    this.abortPass = abort;
    this.running = this.ctx.whileOffloader(async () => {
      const plan = await this.plan(options);
      const engine = this.ctx.engine();
      const recheck = engine ? (row: FileRecord) => engine.recheck(row) : undefined;
      const { ledger, events, trash, keyLock } = this.ctx;
      const report = await runRetentionPass({ ledger, events, trash, keyLock, now: this.o.now, settings: () => this.ctx.settings.current, secrets: this.secrets, recheck, signal: abort.signal }, plan);
      for (const k of report.kept) this.keptAt.set(k.id, Date.now());
      return report;
    });
    try {
      return await this.running;
    } finally {
      this.running = null;
      this.abortPass = null;
      this.figuresCache = null;
    }
  }

  /** Kept by a pass within the last hour (see keptAt). */
  private keptRecently(id: number): boolean {
    const at = this.keptAt.get(id);
    if (at === undefined) return false;
    if (Date.now() - at < KEPT_BACKOFF_MS) return true;
    this.keptAt.delete(id);
    return false;
  }

  pins(): Pin[] {
    return this.ctx.ledger.pins.all();
  }

  /** Keeps these files or folders on this computer. A pin only keeps files, so it needs no offloader lock. */
  pin(paths: readonly string[]): Pin[] {
    this.ctx.ledger.pins.add(paths.map((p) => resolve(p)));
    this.figuresCache = null;
    return this.pins();
  }

  unpin(paths: readonly string[]): Pin[] {
    this.ctx.ledger.pins.remove(paths.map((p) => resolve(p)));
    this.figuresCache = null;
    return this.pins();
  }

  /**
   * For the dashboard and `offload status`. A plan reads every offloaded row (about 0.3 s at 100,000 in
   * the process that owns the ledger), so the dashboard's figures are at most 15 s old instead; a pass,
   * a pin and a settings change read afresh.
   */
  async figures(): Promise<RetentionFigures> {
    const cached = this.figuresCache && Date.now() - this.figuresCache.at < 15_000 ? this.figuresCache.plan : null;
    const plan = cached ?? (await this.plan());
    const pins = this.ctx.ledger.pins.all();
    return {
      policy: describeRetention(this.ctx.settings.current.retention),
      disks: plan.disks,
      freeableBytes: plan.bytes,
      freeableFiles: plan.candidates.length,
      freedBytes: this.ctx.ledger.spaceFigures().storages.reduce((sum, s) => sum + s.freedBytes, 0),
      pins: pins.length,
      pinsRevision: createHash('sha256').update(pins.map((p) => p.path).sort().join('\0')).digest('hex').slice(0, 16),
    };
  }

  /** Runs the policy on its own schedule while the engine runs (the app, `offload watch`). Idempotent. */
  startSchedule(): void {
    if (this.timers.length) return;
    this.timers = [setInterval(() => void this.checkDisks(), this.o.diskCheckMs), setInterval(() => void this.runIf((s) => s.afterDays !== null), this.o.ageCheckMs)];
    for (const t of this.timers) t.unref();
    this.unsubscribe = this.ctx.events.on('fileChanged', (row) => {
      if (row.state !== 'offloaded' || this.soon) return;
      this.soon = setTimeout(() => {
        this.soon = null;
        void this.checkDisks();
      }, this.o.afterOffloadMs);
      this.soon.unref();
    });
    void this.runIf((s) => s.afterDays !== null); // what came of age while nothing ran
    void this.checkDisks();
  }

  /** Stops the schedule, and a pass under way at its next file. */
  async stopSchedule(): Promise<void> {
    this.abortPass?.abort();
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    if (this.soon) clearTimeout(this.soon);
    this.soon = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.running?.catch(() => undefined);
  }

  /** Runs what is due now (copies of age, a disk under its mark): the end of `offload watch --once`. */
  async runDue(): Promise<void> {
    await this.running?.catch(() => undefined); // a pass the start began: then this one, with what came due since
    await this.runIf((s) => s.afterDays !== null);
    await this.checkDisks();
  }

  /** A pass when any watch folder's disk is under its low-space mark (statfs only: cheap). */
  private async checkDisks(): Promise<void> {
    const settings = this.ctx.settings.current;
    for (const folder of settings.watchFolders) {
      const rule = policyFor(settings, folder.path).lowSpace;
      if (!rule) continue;
      const reading = await readDisk(folder.path);
      if (!reading) continue;
      const space = diskSpace(folder.path, reading, rule);
      if (space.markBytes !== null && space.freeBytes < space.markBytes) return this.runPass('low-space');
    }
  }

  private async runIf(rule: (policy: ReturnType<typeof policyFor>) => boolean): Promise<void> {
    const settings = this.ctx.settings.current;
    const policies = [settings.retention, ...settings.watchFolders.map((f) => policyFor(settings, f.path))];
    if (policies.some((p) => removesLocalCopies(p) && rule(p))) await this.runPass('age');
  }

  private async runPass(why: string): Promise<void> {
    if (this.running || !this.ctx.engine()) return; // one at a time; only while this process offloads
    try {
      const report = await this.apply({ scheduled: true });
      const rule = why === 'low-space' ? 'low disk space' : 'age';
      if (report.removed.length) this.ctx.events.emit('notice', { level: 'info', code: 'retention', message: `Retention policy (${rule}): removed ${report.removed.length} local cop${report.removed.length === 1 ? 'y' : 'ies'} whose remote copy is verified.` });
      else if (report.kept.length) this.ctx.events.emit('notice', { level: 'warning', code: 'retention-kept', message: `Retention policy (${rule}): every local copy it was to remove was kept (${report.kept[0]!.path}: ${report.kept[0]!.reason}); see the offload log.` });
    } catch (error) {
      this.ctx.events.emit('notice', { level: 'error', code: 'retention-failed', message: `The retention policy could not run: ${(error as Error).message}` });
    }
  }
}
