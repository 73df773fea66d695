// What every notification adapter is built from: the verifier, the merchant's handler, and where
// failures are reported. Checked once, when the adapter is made, so a wrong argument fails at
// start-up rather than on the first notification.
import { InvalidOptionError } from '../errors';
import { listed } from '../listed';
import { unknownKey } from '../plain-object';
import { NotificationVerifier } from '../v3/notification';
import type { NotificationEvent } from '../v3/notification-events';
import type { NotificationStage } from './refusal';

/**
 * The merchant's code for a verified notification. It may return a promise: the notification is
 * acknowledged (204) once that resolves, and answered 500 (so the gateway sends it again) when it
 * throws or rejects. Notifications repeat: act on each event `id` once.
 */
export type NotificationHandler = (event: NotificationEvent) => unknown;

/** What went wrong with one notification, besides the error itself. */
export interface NotificationFailure {
  /** The status it was answered with: 4xx refused, 5xx not processed. */
  status: number;
  /** Where it failed: reading the body, verifying it, or in the handler. */
  stage: NotificationStage;
  /** The verified event, when the handler failed on it. */
  event?: NotificationEvent;
}

/** Receives every notification that was not acknowledged, with the error that stopped it. */
export type NotificationErrorReporter = (error: unknown, failure: NotificationFailure) => void;

/** Options every adapter takes. */
export interface NotificationAdapterOptions {
  /**
   * Receives every refusal and failure. By default one `console.error` line names the status,
   * the stage and the error's code and message, so that no failure goes unseen.
   */
  onError?: NotificationErrorReporter;
}

/** An adapter's arguments, checked. */
export interface AdapterSettings {
  verifier: NotificationVerifier;
  handler: NotificationHandler;
  onError: NotificationErrorReporter;
}

/** The default {@link NotificationAdapterOptions.onError}: one line on the console. */
export function reportToConsole(error: unknown, failure: NotificationFailure): void {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  console.error(`wechatpay-ts: notification answered ${failure.status} (${failure.stage})${typeof code === 'string' ? ` ${code}` : ''}: ${message}`);
}

/**
 * Checks an adapter's arguments, naming the one at fault with `where` (the adapter's name);
 * `takes` lists the names its options object may hold (a misspelt `onError` would otherwise leave
 * failures to the console).
 */
export function adapterSettings(where: string, verifier: unknown, handler: unknown, options: NotificationAdapterOptions | undefined, takes: readonly string[] = ['onError']): AdapterSettings {
  if (!(verifier instanceof NotificationVerifier)) throw new InvalidOptionError(`${where}: verifier: expected a NotificationVerifier`);
  if (typeof handler !== 'function') throw new InvalidOptionError(`${where}: handler: expected a function (event) => unknown`);
  if (options !== undefined && (options === null || typeof options !== 'object')) throw new InvalidOptionError(`${where}: options: expected an object`);
  const unknown = options === undefined ? undefined : unknownKey(options, takes);
  if (unknown !== undefined) throw new InvalidOptionError(`${where}: options.${unknown}: unknown; the options are ${listed(takes)}`);
  const onError = options?.onError ?? reportToConsole;
  if (typeof onError !== 'function') throw new InvalidOptionError(`${where}: onError: expected a function (error, failure) => void`);
  return { verifier, handler: handler as NotificationHandler, onError };
}
