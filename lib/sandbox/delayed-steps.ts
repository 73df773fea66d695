/**
 * The steps the gateway takes a moment after it accepted a request (a refund reaching the payer,
 * a profit share reaching its receivers), each run after the same delay; `stop()` ends those
 * still waiting, as closing the sandbox does.
 */
export class DelayedSteps {
  private readonly waiting = new Set<() => void>();

  constructor(private readonly delayMs: number) {}

  /**
   * Runs `step` after the delay and resolves with what it resolves with; if stopped before, `step`
   * never runs and the promise resolves with `stopped()` instead.
   */
  after<T>(step: () => T | Promise<T>, stopped: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const stop = () => {
        clearTimeout(timer);
        this.waiting.delete(stop);
        resolve(stopped());
      };
      const timer = setTimeout(() => {
        this.waiting.delete(stop);
        Promise.resolve()
          .then(step)
          .then(resolve, reject);
      }, this.delayMs);
      this.waiting.add(stop);
    });
  }

  /** Ends every step still waiting: none of them runs. */
  stop(): void {
    for (const stop of [...this.waiting]) stop();
  }
}
