/**
 * Lets an event stream sleep until it has something to write: `wake()` (a new event, the
 * client leaving) ends the sleep early, otherwise it ends when a heartbeat is due.
 */
export class StreamWaker {
  private waker: (() => void) | null = null;

  wake(): void {
    this.waker?.();
  }

  /** Resolves true when `ms` passed without a wake-up (time for a heartbeat), false when woken. */
  sleep(ms: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const t = setTimeout(() => {
        this.waker = null;
        resolve(true);
      }, ms);
      this.waker = () => {
        this.waker = null;
        clearTimeout(t);
        resolve(false);
      };
    });
  }
}
