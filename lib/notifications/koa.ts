// koa (and the frameworks built on it, such as Egg and Midway): a middleware that answers
// notifications. Typed structurally on what it touches of koa's context, so the declarations need
// no koa types.
import type { IncomingMessage } from 'node:http';
import { InvalidOptionError } from '../errors';
import type { NotificationVerifier } from '../v3/notification';
import { adapterSettings, type NotificationAdapterOptions, type NotificationHandler } from './adapter-options';
import { rawBodyOf } from './raw-body';
import { answerWith } from './reply';

/** What the middleware touches of a koa context. */
export interface KoaLikeContext {
  /** node's request: its headers, its stream, and a `rawBody` some parsers keep there. */
  req: IncomingMessage;
  /** koa's request: a body parser in front keeps the raw body here as `rawBody` (@koa/bodyparser, koa-bodyparser, Egg, Midway). */
  request: object;
  method: string;
  path: string;
  status: number;
  body: unknown;
  set(fields: Record<string, string>): void;
}

/** A koa middleware: `app.use(middleware)`, or a router's route. */
export type KoaNotificationMiddleware = (ctx: KoaLikeContext, next: () => Promise<unknown>) => Promise<unknown>;

/** Options of {@link koaNotifications}. */
export interface KoaNotificationOptions extends NotificationAdapterOptions {
  /**
   * Answer only `POST` requests to this path and pass every other request on (for `app.use`).
   * Without it, every request that reaches the middleware is a notification (for a router's route).
   */
  path?: string;
}

const ADVICE = 'use koaNotifications before the body parser, or a body parser that keeps ctx.request.rawBody (@koa/bodyparser and koa-bodyparser do)';

/**
 * The notification route for koa 2 and 3: it reads the raw body (or the one a body parser kept as
 * `ctx.request.rawBody`), verifies it, runs `handler` on the event and answers 204; a refused or
 * failed notification gets a FAIL answer, reported through `onError`.
 *
 * @example
 * ```ts
 * app.use(koaNotifications(verifier, handler, { path: '/wechatpay/notify' }));
 * ```
 */
export function koaNotifications(verifier: NotificationVerifier, handler: NotificationHandler, options?: KoaNotificationOptions): KoaNotificationMiddleware {
  const settings = adapterSettings('koaNotifications', verifier, handler, options, ['onError', 'path']);
  const path = options?.path;
  if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/'))) throw new InvalidOptionError('koaNotifications: path: expected a path starting with /');
  return async (ctx, next) => {
    if (path !== undefined && (ctx.method !== 'POST' || ctx.path !== path)) return next();
    const { req } = ctx;
    const body = () => rawBodyOf(req, verifier.maxBodyBytes, { holders: [ctx.request, req], parsed: [(ctx.request as { body?: unknown }).body], advice: ADVICE });
    const reply = await answerWith(settings, { headers: req.headers, body });
    ctx.status = reply.status;
    ctx.set(reply.headers);
    ctx.body = reply.body === '' ? null : reply.body;
  };
}
