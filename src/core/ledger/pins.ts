/**
 * Pins (ledger table `pins`): files and folders kept on this computer whatever the retention policy says
 * (issue #19). A pin names a path; a file is pinned when its path is a pin or lies inside a pinned folder.
 * Kept in the ledger, not the settings: a pin is about files, travels with their record, and is set by
 * the `offload pin` command and the window alike without a settings save.
 */
import { sep } from 'node:path';
import type { SQLInputValue, StatementSync } from 'node:sqlite';
import type { Pin } from '../../shared/retention';

/** Windows and (by default) macOS file systems ignore case: a pin typed in other case still names the folder. */
const fold = (p: string): string => (process.platform === 'win32' || process.platform === 'darwin' ? p.normalize('NFC').toLowerCase() : p);

/** Whether `path` is `pin` itself or lies inside it (a pinned folder). */
export function coveredByPin(path: string, pin: string): boolean {
  const [a, b] = [fold(path), fold(pin)];
  return a === b || a.startsWith(b.endsWith(sep) ? b : `${b}${sep}`);
}

export class PinList {
  constructor(
    private readonly sql: (text: string) => StatementSync,
    private readonly write: <T>(work: () => T) => T,
  ) {}

  /** Pins these paths (absolute; a pinned path pinned again keeps its first date). */
  add(paths: readonly string[]): void {
    const now = Date.now();
    this.write(() => {
      for (const path of paths) this.run('INSERT INTO pins (path, pinned_at) VALUES (?, ?) ON CONFLICT (path) DO NOTHING', path, now);
    });
  }

  /** Unpins exactly these paths (a file inside a pinned folder stays pinned by the folder). */
  remove(paths: readonly string[]): void {
    this.write(() => {
      for (const path of paths) this.run('DELETE FROM pins WHERE path = ?', path);
    });
  }

  all(): Pin[] {
    return (this.sql('SELECT path, pinned_at FROM pins ORDER BY path').all() as { path: string; pinned_at: number }[]).map((r) => ({ path: r.path, pinnedAt: r.pinned_at }));
  }

  /** A test for many paths at once: reads the pins once. */
  matcher(): (path: string) => boolean {
    const pins = this.all().map((p) => p.path);
    return (path) => pins.some((pin) => coveredByPin(path, pin));
  }

  isPinned(path: string): boolean {
    return this.matcher()(path);
  }

  private run(text: string, ...values: SQLInputValue[]): void {
    this.sql(text).run(...values);
  }
}
