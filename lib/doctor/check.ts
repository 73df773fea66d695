/** How one check of `diagnose()` ended. */
export type CheckStatus = 'pass' | 'warn' | 'fail';

/** One line of the doctor's report: what was checked, how it ended, and on a warning or failure what to do. */
export interface CheckResult {
  /** A stable id, such as `private-key` or `gateway-echo`. */
  id: string;
  status: CheckStatus;
  /** What was found, in one sentence; never key material. */
  message: string;
  /** What to do about it, on `warn` and `fail`. */
  fix?: string;
}

/** A passing check. */
export function pass(id: string, message: string): CheckResult {
  return { id, status: 'pass', message };
}

/** A failing check, with what to do. */
export function fail(id: string, message: string, fix: string): CheckResult {
  return { id, status: 'fail', message, fix };
}

/** A warning, with what to do. */
export function warn(id: string, message: string, fix: string): CheckResult {
  return { id, status: 'warn', message, fix };
}

/** The message of an error thrown while loading an option (the SDK's messages never carry key material). */
export function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
