// The events the client publishes on Node's diagnostics_channel, for logging, metrics and tracing
// (the mechanism undici and APM agents use). Each is published only while someone subscribes,
// and none carries a key, a signature, a body or a query string: only what names the exchange.
import { channel } from 'node:diagnostics_channel';

/**
 * Which exchange an event is about: the merchant whose client made it (a process serving many
 * merchants logs by it), the method, the host it went to, the path without its query, and the
 * attempt (1 for the first).
 */
export interface ExchangeEvent {
  mchid: string;
  method: string;
  host: string;
  path: string;
  attempt: number;
}

/** `wechatpay:response`: an answer arrived (any status; a refused signature shows as an error as well). */
export interface ResponseEvent extends ExchangeEvent {
  status: number;
  /** The gateway's `Request-ID` header, when it sent one. */
  requestId?: string;
  /** From sending to the answer's headers, in ms. */
  durationMs: number;
}

/** `wechatpay:error`: the attempt failed; `code` is the SDK's error code (or the network's, such as `ECONNREFUSED`). */
export interface ErrorEvent extends ExchangeEvent {
  code: string;
  /** The HTTP status, when the failure was an answer. */
  status?: number;
}

/** `wechatpay:retry`: the exchange is sent again, after `delayMs`, because the last attempt ended as `reason`. */
export interface RetryEvent extends ExchangeEvent {
  delayMs: number;
  reason: string;
}

/** `wechatpay:failover`: the exchange moves from `host` to the backup host `to`, because the request never reached `host`. */
export interface FailoverEvent extends ExchangeEvent {
  to: string;
  reason: string;
}

/** `wechatpay:certificates`: a platform certificate download started, succeeded (with how many) or failed (with the code). */
export interface CertificatesEvent {
  phase: 'start' | 'success' | 'failure';
  mchid: string;
  count?: number;
  code?: string;
}

/** The channels, by name; subscribe with `diagnostics_channel.subscribe(name, listener)`. */
export const CHANNELS = {
  request: channel('wechatpay:request'),
  response: channel('wechatpay:response'),
  error: channel('wechatpay:error'),
  retry: channel('wechatpay:retry'),
  failover: channel('wechatpay:failover'),
  certificates: channel('wechatpay:certificates'),
} as const;
