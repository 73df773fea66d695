// The Fetch API (Request in, Response out): Next.js route handlers, Hono, Bun.serve, Deno.serve,
// and any runtime with web-standard handlers.
import type { NotificationVerifier } from '../v3/notification';
import { adapterSettings, type NotificationAdapterOptions, type NotificationHandler } from './adapter-options';
import { readFetchBody, type FetchLikeRequest } from './fetch-body';
import { answerWith } from './reply';

/** A Fetch handler: `export const POST = handler` in Next.js, `c => handler(c.req.raw)` in Hono. */
export type FetchNotificationHandler = (request: FetchLikeRequest) => Promise<Response>;

/**
 * The notification route for Fetch-style servers: it reads the body of the `Request` within
 * `verifier.maxBodyBytes`, verifies it, runs `handler` on the event and resolves to a 204
 * `Response`; a refused or failed notification gets a FAIL `Response`, reported through `onError`.
 *
 * @example
 * ```ts
 * // app/wechatpay/notify/route.ts (Next.js)
 * export const POST = fetchNotifications(verifier, handler);
 * ```
 */
export function fetchNotifications(verifier: NotificationVerifier, handler: NotificationHandler, options?: NotificationAdapterOptions): FetchNotificationHandler {
  const settings = adapterSettings('fetchNotifications', verifier, handler, options);
  return async (request) => {
    const reply = await answerWith(settings, { headers: request.headers, body: () => readFetchBody(request, verifier.maxBodyBytes) });
    return new Response(reply.body === '' ? null : reply.body, { status: reply.status, headers: reply.headers });
  };
}
