import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios, { type CreateAxiosDefaults } from 'axios';
import type { ResolvedOptions } from './client-options';
import { VERSION } from './version';

/** `wechatpay-ts/<version> axios/<version> node/<version>`. */
export const USER_AGENT = `wechatpay-ts/${VERSION} axios/${axios.VERSION} node/${process.versions.node}`;

/**
 * The axios defaults both APIs start from: keep-alive connections and no redirects (the gateway
 * never redirects, and following one costs CPU on every call), then the user's own defaults.
 */
export function sharedDefaults(options: ResolvedOptions): CreateAxiosDefaults {
  return {
    maxRedirects: 0,
    httpAgent: new HttpAgent({ keepAlive: true }),
    httpsAgent: new HttpsAgent({ keepAlive: true }),
    ...options.axiosDefaults,
    baseURL: options.baseURL,
  };
}
