import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios, { type CreateAxiosDefaults } from 'axios';
import type { ResolvedOptions } from './client-options';
import { MAX_ANSWER_BYTES } from './response-body';
import { VERSION } from './version';

/** `wechatpay-ts/<version> axios/<version> node/<version>`. */
export const USER_AGENT = `wechatpay-ts/${VERSION} axios/${axios.VERSION} node/${process.versions.node}`;

/**
 * How long an idle keep-alive connection may wait for reuse, in ms; Node's global agent uses the
 * same figure. Node lowers it to a second under the server's own `Keep-Alive: timeout=N` hint, so
 * the client closes first and never writes a request onto a connection the server just dropped
 * (which fails as ECONNRESET). Requests under way are not affected.
 */
export const IDLE_SOCKET_MS = 5000;

/** Option names whose values are secrets wherever they appear. */
const REDACTED_KEYS = ['key', 'pfx', 'passphrase', 'privateKey', 'secret', 'apiv3Key'] as const;

/**
 * The axios defaults both APIs start from: keep-alive connections that close when idle, no
 * redirects (the gateway never redirects, and following one costs CPU on every call), answers of
 * at most {@link MAX_ANSWER_BYTES} after decompression, then the user's own defaults.
 */
export function sharedDefaults(options: ResolvedOptions): CreateAxiosDefaults {
  return {
    maxRedirects: 0,
    maxContentLength: MAX_ANSWER_BYTES,
    // What an error's toJSON() replaces with REDACTED at any depth of its config, should key
    // material come in through the user's own options (an httpsAgent built with a key, say).
    redact: [...REDACTED_KEYS],
    httpAgent: new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
    httpsAgent: new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
    ...options.axiosDefaults,
    baseURL: options.baseURL,
  };
}
