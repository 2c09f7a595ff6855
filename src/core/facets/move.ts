/**
 * The move facet (IPC group `move`, `offload migrate`): moving a storage's files to another
 * (offload/move-run.ts, docs/move.md). The command runs a move in the foreground, as the one offloader;
 * the window starts one in the background (one at a time) and follows it through `moveProgress` events,
 * with pause, resume and cancel.
 */
import { LOCAL_SOURCE, type MoveFileResult, type MovePlan, type MoveProgress } from '../../shared/move';
import { MoveRun, planMove, type MoveRequest } from '../offload/move-run';
import { ProviderUnusable } from '../providers/provider-session';
import { ServiceError } from '../service-error';
import type { ServiceContext } from './context';
import { providerById } from './providers';

export interface MoveHooks {
  onProgress?: (progress: MoveProgress) => void;
  onFile?: (result: MoveFileResult) => void;
  /** Aborting it cancels the move (Ctrl-C in the command). */
  signal?: AbortSignal;
}

export class MoveFacet {
  /** The window's move: the running one, or the last one, whose progress stays readable. */
  private current: { run: MoveRun; done: Promise<unknown> } | null = null;

  constructor(private readonly ctx: ServiceContext) {}

  /** What a move would take now (`--dry-run`, the move screen's summary; of `ids` only, when given). Checks the two ends first. */
  plan(from: string, to: string, ids?: readonly number[]): MovePlan {
    this.check(from, to);
    return planMove(this.ctx.ledger, from, to, ids);
  }

  /** Runs a move to its end in the foreground, as the one offloader (`offload migrate`). */
  async run(request: MoveRequest, hooks: MoveHooks = {}): Promise<{ progress: MoveProgress; results: MoveFileResult[] }> {
    this.check(request.from, request.to);
    this.refuseWhileRunning();
    return this.ctx.whileOffloader(async () => {
      const run = this.newRun(request, hooks.onProgress, hooks.onFile);
      const cancel = (): void => run.cancel();
      hooks.signal?.addEventListener('abort', cancel);
      try {
        return { results: await run.run().catch(explainUnusable), progress: run.snapshot() };
      } finally {
        hooks.signal?.removeEventListener('abort', cancel);
      }
    });
  }

  /**
   * Starts a move in the background (the window), announced through `moveProgress` events. Resolves once
   * the target is open and the files are listed; rejects when the move cannot start (the target cannot
   * be used, another move runs, another process offloads).
   */
  async start(request: MoveRequest): Promise<MoveProgress> {
    this.check(request.from, request.to);
    this.refuseWhileRunning();
    const run = this.newRun(request, (progress) => this.ctx.events.emit('moveProgress', progress));
    const done = this.ctx.whileOffloader(() => run.run().catch(explainUnusable));
    this.current = { run, done: done.catch(() => undefined) };
    await Promise.race([run.started, done]);
    return run.snapshot();
  }

  status(): MoveProgress | null {
    return this.current?.run.snapshot() ?? null;
  }

  pause(): MoveProgress | null {
    this.current?.run.pause();
    return this.status();
  }

  resume(): MoveProgress | null {
    this.current?.run.resume();
    return this.status();
  }

  cancel(): MoveProgress | null {
    this.current?.run.cancel();
    return this.status();
  }

  /** Cancels the window's move and waits for it to stop (the service is closing). */
  async stop(): Promise<void> {
    this.current?.run.cancel();
    await this.current?.done;
  }

  private newRun(request: MoveRequest, onProgress?: (p: MoveProgress) => void, onFile?: (r: MoveFileResult) => void): MoveRun {
    const { ctx } = this;
    return new MoveRun({ ledger: ctx.ledger, settings: () => ctx.settings.current, secrets: ctx.secrets(), events: ctx.events, keyLock: ctx.keyLock, throttle: ctx.throttle, trash: ctx.trash }, request, onProgress, onFile);
  }

  private refuseWhileRunning(): void {
    const phase = this.current?.run.phase;
    if (phase === 'running' || phase === 'paused' || phase === 'cancelling') {
      const p = this.current!.run.snapshot();
      throw new ServiceError('move-running', `A move from ${p.from} to ${p.to} is under way: one move runs at a time`, 'Wait for it to finish, or cancel it.');
    }
  }

  /** The two ends: a source that is a provider or `local`, a target provider that takes uploads, not the same. */
  private check(from: string, to: string): void {
    if (to === LOCAL_SOURCE) throw new ServiceError('bad-target', 'The target "local" is this machine: files come back with offload restore, not a move', 'Bring files back with offload restore --all --provider ID, or name a provider to move them to.');
    if (from === to) throw new ServiceError('same-storage', `The source and the target are both "${from}": nothing to move`, 'Name two different storages.');
    const target = providerById(this.ctx, to);
    if (target.retired) throw new ServiceError('provider-retired', `Provider "${to}" is retired: it takes no new files`, 'Move the files to a provider in use.');
    if (from !== LOCAL_SOURCE) providerById(this.ctx, from);
  }
}

/** A target (or source) without fields or credentials: said as a usage problem, with the fix. */
function explainUnusable(error: unknown): never {
  if (error instanceof ProviderUnusable) throw new ServiceError(error.reason === 'incomplete' ? 'provider-incomplete' : 'provider-unusable', error.message, error.fix, { cause: error });
  throw error;
}
