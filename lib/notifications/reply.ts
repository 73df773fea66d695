// The framework-neutral core of every adapter: one notification in (its headers and a way to get
// its raw body), one answer out. Nothing here throws: every failure becomes a FAIL answer and is
// reported through onError.
import { InvalidOptionError } from '../errors';
import type { NotificationHeaders } from '../v3/notification';
import type { NotificationEvent } from '../v3/notification-events';
import { adapterSettings, type AdapterSettings, type NotificationAdapterOptions, type NotificationHandler } from './adapter-options';
import { bodyTooLarge } from './body-limit';
import { refusalOf, type NotificationStage } from './refusal';

/** The answer to give the gateway, for the adapter to write in its framework's way. */
export interface NotificationReply {
  /** 204 when the notification was verified and the handler succeeded; 4xx refused; 5xx not processed. */
  status: number;
  headers: Record<string, string>;
  /** Empty for 204; else `{"code":"FAIL","message":"…"}`. */
  body: string;
}

/** One notification as a framework hands it over. */
export interface NotificationExchange {
  headers: NotificationHeaders;
  /** The raw body, read within `verifier.maxBodyBytes`; may reject (too large, aborted, consumed). */
  body: () => Buffer | string | Promise<Buffer | string>;
}

/** What {@link answerNotification} takes: the adapter's arguments and the notification. */
export interface NotificationAnswerInput extends NotificationExchange, NotificationAdapterOptions {
  verifier: AdapterSettings['verifier'];
  handler: NotificationHandler;
}

/** The FAIL answer to a notification that failed at `stage`, reported through `onError` first. */
export function failureReply(settings: Pick<AdapterSettings, 'onError'>, error: unknown, stage: NotificationStage, event?: NotificationEvent): NotificationReply {
  const { status, message } = refusalOf(error, stage);
  try {
    settings.onError(error, { status, stage, ...(event !== undefined ? { event } : {}) });
  } catch (reportError) {
    // The answer must go out whatever the reporter does; its own failure is not hidden either.
    console.error('wechatpay-ts: the notification onError reporter threw:', reportError);
  }
  // A body refused before it was read to its end leaves bytes on the connection: close it.
  const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8', ...(status === 413 ? { Connection: 'close' } : {}) };
  return { status, headers, body: JSON.stringify({ code: 'FAIL', message }) };
}

/** {@link answerNotification} for an adapter whose arguments were checked when it was made. */
export async function answerWith(settings: AdapterSettings, exchange: NotificationExchange): Promise<NotificationReply> {
  const { verifier, handler } = settings;
  let body: Buffer | string;
  try {
    body = await exchange.body();
    const size = Buffer.byteLength(body);
    if (size > verifier.maxBodyBytes) throw bodyTooLarge(`the raw body kept is ${size} bytes`, verifier.maxBodyBytes);
  } catch (error) {
    return failureReply(settings, error, 'body');
  }
  let event: NotificationEvent;
  try {
    event = await verifier.verify({ headers: exchange.headers, body });
  } catch (error) {
    return failureReply(settings, error, 'verification');
  }
  try {
    await handler(event);
  } catch (error) {
    return failureReply(settings, error, 'handler', event);
  }
  return { status: 204, headers: {}, body: '' };
}

/**
 * Answers one notification, for frameworks without an adapter: reads the body (`body()`),
 * verifies it, runs `handler` on the event, and resolves to the answer to write. It never
 * rejects for a bad notification or a failing handler: those are FAIL answers, each reported
 * through `onError`. It rejects only when `verifier`, `handler` or `onError` is unusable.
 *
 * @example
 * ```ts
 * const reply = await answerNotification({ verifier, handler, headers: request.headers, body: () => request.rawBody() });
 * respond(reply.status, reply.headers, reply.body);
 * ```
 */
export async function answerNotification(input: NotificationAnswerInput): Promise<NotificationReply> {
  const settings = adapterSettings('answerNotification', input?.verifier, input?.handler, input, ['verifier', 'handler', 'onError', 'headers', 'body']);
  if (typeof input.body !== 'function') throw new InvalidOptionError('answerNotification: body: expected a function that returns the raw body');
  return answerWith(settings, input);
}
