// fastify: a plugin that serves the notification route in its own encapsulated scope, where the
// only content-type parser keeps the body as a Buffer within `verifier.maxBodyBytes`: the app's
// JSON parser never sees it, and the rest of the app keeps its parsers. Typed structurally on
// what it touches of fastify, so the declarations need no fastify types.
import type { IncomingHttpHeaders } from 'node:http';
import { InvalidOptionError } from '../errors';
import type { NotificationVerifier } from '../v3/notification';
import { adapterSettings, type NotificationAdapterOptions, type NotificationHandler } from './adapter-options';
import { bodyTooLarge } from './body-limit';
import { answerWith, failureReply, type NotificationReply } from './reply';

/** What the plugin reads of a fastify request. */
export interface FastifyLikeRequest {
  headers: IncomingHttpHeaders;
  body?: unknown;
}

/** What the plugin calls on a fastify reply. */
export interface FastifyLikeReply {
  code(status: number): FastifyLikeReply;
  headers(values: Record<string, string>): FastifyLikeReply;
  send(payload?: string): FastifyLikeReply;
}

/** What the plugin calls on the fastify instance it is registered in. */
export interface FastifyLikeInstance {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(contentType: string, options: { parseAs: 'buffer'; bodyLimit: number }, parser: (request: never, body: Buffer, done: (error: Error | null, body?: Buffer) => void) => void): void;
  setErrorHandler(handler: (error: { statusCode?: number }, request: FastifyLikeRequest, reply: FastifyLikeReply) => FastifyLikeReply): unknown;
  post(path: string, handler: (request: FastifyLikeRequest, reply: FastifyLikeReply) => Promise<FastifyLikeReply>): unknown;
}

/** A fastify plugin: `app.register(plugin)`, with or without a `prefix`. */
export type FastifyNotificationPlugin = (instance: FastifyLikeInstance, options: unknown, done: (error?: Error) => void) => void;

/** Options of {@link fastifyNotifications}. */
export interface FastifyNotificationOptions extends NotificationAdapterOptions {
  verifier: NotificationVerifier;
  handler: NotificationHandler;
  /** The route's path within the plugin's scope (after the `prefix` it is registered with); `/` unless given. */
  path?: string;
}

function send(reply: FastifyLikeReply, answer: NotificationReply): FastifyLikeReply {
  return reply.code(answer.status).headers(answer.headers).send(answer.body === '' ? undefined : answer.body);
}

/**
 * The notification route for fastify (4 and 5; tested with 5), as a plugin: it verifies the raw
 * body, runs `handler` on the event and answers 204; a refused or failed notification (fastify's
 * own body limit included) gets a FAIL answer, reported through `onError`.
 *
 * @example
 * ```ts
 * await app.register(fastifyNotifications({ verifier, handler }), { prefix: '/wechatpay/notify' });
 * ```
 */
export function fastifyNotifications(options: FastifyNotificationOptions): FastifyNotificationPlugin {
  const settings = adapterSettings('fastifyNotifications', options?.verifier, options?.handler, options, ['verifier', 'handler', 'onError', 'path']);
  const { verifier } = settings;
  const path = options.path ?? '/';
  if (typeof path !== 'string' || !path.startsWith('/')) throw new InvalidOptionError('fastifyNotifications: path: expected a path starting with /');
  return (instance, _options, done) => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: verifier.maxBodyBytes }, (_request, body, parsed) => parsed(null, body));
    // Errors before the route runs: fastify's parser refusing the body (413 when over the limit).
    instance.setErrorHandler((error, _request, reply) => {
      const refused = error.statusCode === 413 ? bodyTooLarge('fastify refused it at its bodyLimit', verifier.maxBodyBytes, error) : error;
      return send(reply, failureReply(settings, refused, 'body'));
    });
    instance.post(path, async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      return send(reply, await answerWith(settings, { headers: request.headers, body: () => body }));
    });
    done();
  };
}
