/**
 * Steps of a flow that happen by themselves a moment later (a refund settling, a cancelled
 * transfer ending), each resolving with what it produced, and all stopped at once when the
 * sandbox closes.
 */
export class DelayedSteps {
  private readonly pending = new Set<() => void>();

  /**
   * Runs `step` after `delayMs` and resolves with its result; if {@link stopAll} comes first,
   * `step` never runs and the promise resolves with `stopped()` instead.
   */
  after<T>(delayMs: number, step: () => T | Promise<T>, stopped: () => T): Promise<T> {
    return new Promise<T>((resolve) => {
      const stop = (): void => {
        clearTimeout(timer);
        this.pending.delete(stop);
        resolve(stopped());
      };
      const timer = setTimeout(() => {
        this.pending.delete(stop);
        resolve(step());
      }, delayMs);
      this.pending.add(stop);
    });
  }

  /** Stops every step still waiting. */
  stopAll(): void {
    for (const stop of [...this.pending]) stop();
  }
}
