import { Formatter } from '../formatter';
import { checkAuthorization, type KnownMerchant } from './authorization';
import type { Fault } from './faults';
import { signedBody } from './multipart';
import { matchRoute, replyProblem, type CompiledRoute, type SandboxReply, type SandboxRequest } from './routes';

/** An APIv3 request as received: method, path and query, headers and raw body. */
export interface ReceivedV3Request {
  method: string;
  target: string;
  headers: SandboxRequest['headers'];
  body: Buffer;
}

function parseJson(body: Buffer): unknown {
  try {
    return body.length === 0 ? undefined : (JSON.parse(body.toString('utf8')) as unknown);
  } catch {
    return undefined;
  }
}

/**
 * Checks an APIv3 request's Authorization as the gateway does (the signature over method,
 * target, timestamp, nonce and body; for an upload, the body signed is the `meta` part).
 * Returns why it fails, or undefined.
 */
export function checkV3Request(merchant: KnownMerchant, request: ReceivedV3Request): string | undefined {
  const { method, target, headers, body } = request;
  const { authorization, 'content-type': contentType } = headers;
  return checkAuthorization(merchant, { method, target, authorization: typeof authorization === 'string' ? authorization : undefined, body: signedBody(contentType, body) }, Formatter.timestamp());
}

/**
 * The gateway's answer to an APIv3 request, before signing: 401 `SIGN_ERROR` for a failed
 * Authorization, else the matching route's (404 without one, 500 when it throws); an injected
 * `error` fault's answer replaces either.
 */
export async function answerV3(routes: readonly CompiledRoute[], request: ReceivedV3Request, failure: string | undefined, fault: Fault | undefined): Promise<SandboxReply> {
  const reply = failure ? { status: 401, json: { code: 'SIGN_ERROR', message: `signature verification failed: ${failure}` } } : await dispatch(routes, request);
  return fault?.type === 'error' ? { status: fault.status, json: { code: fault.code ?? 'SYSTEM_ERROR', message: fault.message ?? 'injected error', detail: fault.detail } } : reply;
}

async function dispatch(routes: readonly CompiledRoute[], { method, target, headers, body }: ReceivedV3Request): Promise<SandboxReply> {
  const url = new URL(target, 'http://sandbox');
  try {
    const found = matchRoute(routes, method, url.pathname);
    if (!found) return { status: 404, json: { code: 'NOT_FOUND', message: `no sandbox route for ${method} ${url.pathname}` } };
    const reply = await found.route.handle({ method, path: url.pathname, target, params: found.params, query: Object.fromEntries(url.searchParams), headers, body, json: parseJson(body) });
    const problem = replyProblem(reply);
    if (problem !== undefined) throw new Error(`${method} ${url.pathname} answered ${problem}`);
    return reply;
  } catch (error) {
    return { status: 500, json: { code: 'SYSTEM_ERROR', message: `sandbox route failed: ${(error as Error).message}` } };
  }
}
