/**
 * The longest wait a node timer holds, in ms (about 24.8 days). `setTimeout` fires a longer one
 * after 1 ms instead, so every wait the caller or the gateway names is checked against it.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Whether `value` is a number of milliseconds from `least` to {@link MAX_TIMER_MS}, and a whole one when `whole`. */
export function isTimerMs(value: unknown, least: number, whole: boolean): value is number {
  if (typeof value !== 'number' || !(whole ? Number.isSafeInteger(value) : Number.isFinite(value))) return false;
  return value >= least && value <= MAX_TIMER_MS;
}
