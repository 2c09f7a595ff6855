/**
 * Serializes work on one object key within this process: the second holder waits until the first
 * releases. Keeps two local files that map to the same key (NFD and NFC spellings of a name) from racing
 * the conflict check where the provider has no conditional writes.
 */
export class KeyLock {
  private readonly holders = new Map<string, Promise<void>>();

  /** Waits for the key, then returns the function that releases it. */
  async acquire(key: string): Promise<() => void> {
    const previous = this.holders.get(key);
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    this.holders.set(key, mine);
    await previous;
    return () => {
      if (this.holders.get(key) === mine) this.holders.delete(key);
      release();
    };
  }
}

/**
 * The lock name of one file's record (its row id), taken by whatever ends with its local or remote copy
 * gone — the upload's removal, a retention pass, a deletion from the bucket — so two never act on it at once.
 */
export function fileLockKey(id: number): string {
  return `file:${id}`;
}
