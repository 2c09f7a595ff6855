/**
 * One offloader per ledger: the desktop app and `offload watch` share the settings file and the ledger,
 * and two engines on one ledger would upload the same files twice and race on local removals. Whichever
 * starts first holds `<ledger>.lock` (created exclusively, 0600) with its process id, host, role and
 * start time; the other is refused with those details. Read-only commands (status, ls, url) take no lock.
 *
 * A lock left by a crashed process (its pid no longer runs on this host) is taken over: removed, then
 * created exclusively again. Two processes taking over the same stale lock in the same instant could
 * both remove it; the exclusive create then lets only one of them in, and the other is refused, unless
 * the first one's remove came after the second's create — a window of microseconds after a crash, which
 * this accepts rather than a lock daemon.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { ServiceError } from '../service-error';

export interface LockHolder {
  pid: number;
  host: string;
  /** Who holds it, for the message ("the Offload Companion app", "offload watch"). */
  role: string;
  since: string;
}

const PRIVATE_FILE_MODE = 0o600;

/** True while a process with this id runs (or exists under another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return Infinity;
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string' ? { pid: parsed.pid, host: parsed.host, role: String(parsed.role ?? 'another offloader'), since: String(parsed.since ?? '?') } : null;
  } catch {
    return null;
  }
}

export class OffloaderLock {
  private held = false;

  constructor(
    readonly file: string,
    private readonly role: string,
  ) {}

  /** Takes the lock, or throws ServiceError `offloader-running` naming the holder. Idempotent. */
  acquire(): void {
    if (this.held) return;
    const me: LockHolder = { pid: process.pid, host: hostname(), role: this.role, since: new Date().toISOString() };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(this.file, 'wx', PRIVATE_FILE_MODE);
        try {
          writeSync(fd, JSON.stringify(me));
        } finally {
          closeSync(fd);
        }
        this.held = true;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readHolder(this.file);
      // A lock from this host whose process is gone is stale; so is one that stayed unreadable for
      // seconds (a fresh one is unreadable only between its create and its write).
      const stale = holder === null ? ageMs(this.file) > 2_000 : holder.host === me.host && !alive(holder.pid);
      if (!stale) throw this.refusal(holder);
      try {
        unlinkSync(this.file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    throw this.refusal(readHolder(this.file));
  }

  /** Gives the lock up, if held. Idempotent. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    const holder = readHolder(this.file);
    if (holder?.pid === process.pid && holder.host === hostname()) unlinkSync(this.file);
  }

  private refusal(holder: LockHolder | null): ServiceError {
    const who = holder ? `${holder.role} (process ${holder.pid} on ${holder.host}, since ${holder.since})` : 'another offloader';
    return new ServiceError(
      'offloader-running',
      `${who} is already offloading with this settings file and log (${this.file}); only one may run at a time`,
      'Quit the other one (or stop that offload watch) and start again; offload status, ls and url work alongside it.',
    );
  }
}
