/**
 * The one subscribe shape: `on(listener)` returns the function that unsubscribes
 * it (calling it twice is harmless). Every port and every event source uses it.
 */
export type Unsubscribe = () => void;

/**
 * A typed listener list. A listener that throws does not stop the others, nor
 * unwind the engine that emitted (which may be half way through a transition):
 * the error is handed to `onListenerError`, by default rethrown on a later tick
 * so it is still seen, as an uncaught exception, rather than swallowed.
 */
export class Emitter<A extends unknown[]> {
  private listeners: ((...args: A) => void)[] = [];

  constructor(private readonly onListenerError: (err: unknown) => void = rethrowLater) {}

  on(listener: (...args: A) => void): Unsubscribe {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Calls every listener subscribed now (one subscribed during the emit waits for the next). */
  emit(...args: A): void {
    for (const listener of this.listeners) {
      try {
        listener(...args);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  get size(): number {
    return this.listeners.length;
  }

  clear(): void {
    this.listeners = [];
  }
}

function rethrowLater(err: unknown): void {
  setImmediate(() => {
    throw err;
  });
}
