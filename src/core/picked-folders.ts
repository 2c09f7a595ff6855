/**
 * Folders the user chose in main's own folder picker during this session. `watch.add` accepts only a
 * path from here, so a compromised window cannot make the engine watch (and, with "offload what is
 * there", upload or remove) a folder the user never chose. A pick is good for one add, for a while.
 */

/** How long a pick stays usable: long enough to fill in the patterns, short enough not to linger. */
export const PICK_TTL_MS = 15 * 60_000;

export class PickedFolders {
  /** Path exactly as the picker returned it → when the pick expires (epoch ms). */
  private readonly picks = new Map<string, number>();

  constructor(
    private readonly ttlMs = PICK_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records what the picker returned; the window gets the same string back to send with `watch.add`. */
  remember(path: string): void {
    const now = this.now();
    for (const [picked, expires] of this.picks) if (expires <= now) this.picks.delete(picked);
    this.picks.set(path, now + this.ttlMs);
  }

  /** True once for a path picked less than the TTL ago; the pick is used up either way. */
  take(path: string): boolean {
    const expires = this.picks.get(path);
    this.picks.delete(path);
    return expires !== undefined && expires > this.now();
  }
}
