/**
 * A small typed event emitter. Subscriptions are `onDid…`-style: each returns its own unsubscribe
 * (STYLE.md §5), and a throwing listener never breaks the engine.
 */
export class TypedEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as (p: Events[K]) => void)(payload);
      } catch {
        // A listener's bug must not stop an upload; listeners report their own errors.
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
