// express 4 and 5 (and NestJS on its express platform): a middleware for the notification route.
// Typed structurally on node's request and response, so the declarations need no express types.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NotificationVerifier } from '../v3/notification';
import { adapterSettings, type NotificationAdapterOptions, type NotificationHandler } from './adapter-options';
import { rawBodyOf } from './raw-body';
import { answerWith } from './reply';

/**
 * What the middleware reads of express' request: node's request, and what body parsers may have
 * added to it: `body` (a Buffer here, from `express.raw()`, is the raw body) and `rawBody` (kept by
 * `express.json({ verify })` recipes and NestJS `rawBody: true`). An intersection rather than an
 * extension, so that it holds whatever type other packages' declarations give those fields.
 */
export type ExpressLikeRequest = IncomingMessage & { body?: unknown; rawBody?: unknown };

/** An express middleware: `app.post(path, middleware)`. */
export type ExpressNotificationMiddleware = (request: ExpressLikeRequest, response: ServerResponse, next: (error?: unknown) => void) => void;

const ADVICE =
  'mount the notification route before express.json() (or any JSON body parser), or keep the bytes as req.rawBody: express.json({ verify: (req, res, buf) => { req.rawBody = buf } }), or in NestJS NestFactory.create(AppModule, { rawBody: true })';

/**
 * The notification route for express 4 and 5: it reads the raw body (or the one a parser kept as
 * `req.rawBody`, or `express.raw()`'s Buffer), verifies it, runs `handler` on the event and answers
 * 204; a refused or failed notification gets a FAIL answer, reported through `onError`.
 *
 * @example
 * ```ts
 * app.post('/wechatpay/notify', expressNotifications(verifier, async (event) => {
 *   if (event.event_type === 'TRANSACTION.SUCCESS' && 'out_trade_no' in event.resource) await markPaid(event.resource.out_trade_no);
 * }));
 * ```
 */
export function expressNotifications(verifier: NotificationVerifier, handler: NotificationHandler, options?: NotificationAdapterOptions): ExpressNotificationMiddleware {
  const settings = adapterSettings('expressNotifications', verifier, handler, options);
  return (request, response, next) => {
    const body = () => rawBodyOf(request, verifier.maxBodyBytes, { holders: [request], parsed: [request.body], advice: ADVICE });
    answerWith(settings, { headers: request.headers, body })
      .then((reply) => {
        response.writeHead(reply.status, reply.headers).end(reply.body);
      })
      .catch(next);
  };
}
