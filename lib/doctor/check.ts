/** How one check of `diagnose()` ended. */
export type CheckStatus = 'pass' | 'warn' | 'fail';

/** The options of `diagnose()` a fix can be about; the command line takes each under a flag, a variable and a config key of its own. */
export type DiagnosedOption = 'serial' | 'privateKey' | 'merchantCertificate' | 'certs' | 'apiv3Key' | 'secret';

/** One line of the doctor's report: what was checked, how it ended, and on a warning or failure what to do. */
export interface CheckResult {
  /** A stable id, such as `private-key` or `gateway-echo`. */
  id: string;
  status: CheckStatus;
  /** What was found, in one sentence; never key material. */
  message: string;
  /** What to do about it, on `warn` and `fail`; it names no option, `option` does. */
  fix?: string;
  /** The option of `diagnose()` the fix is about, when it is about one. */
  option?: DiagnosedOption;
}

/** A passing check. */
export function pass(id: string, message: string): CheckResult {
  return { id, status: 'pass', message };
}

/** A check that did not pass, with what to do; `option` only when the fix is about one, so a result has no key it does not fill. */
function notPassed(status: 'warn' | 'fail', id: string, message: string, fix: string, option: DiagnosedOption | undefined): CheckResult {
  return option === undefined ? { id, status, message, fix } : { id, status, message, fix, option };
}

/** A failing check, with what to do, and the option that is at fault when one is. */
export function fail(id: string, message: string, fix: string, option?: DiagnosedOption): CheckResult {
  return notPassed('fail', id, message, fix, option);
}

/** A warning, with what to do, and the option it is about when it is about one. */
export function warn(id: string, message: string, fix: string, option?: DiagnosedOption): CheckResult {
  return notPassed('warn', id, message, fix, option);
}

/** The message of an error thrown while loading an option (the SDK's messages never carry key material). */
export function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
