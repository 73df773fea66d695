import { AxiosError, CanceledError, type AxiosInstance, type AxiosRequestConfig, type AxiosResponse } from 'axios';
import type { ResolvedOptions } from './client-options';
import { withDeadline, type Deadline } from './deadline';
import { CHANNELS, type ExchangeEvent } from './diagnostics';
import { ApiError, NetworkError, WechatpayError } from './errors';
import { ConnectionProbe } from './connection-probe';
import { responseHeader } from './response-body';
import { backoffMs, retryAfterMs, type RetryPolicy } from './retry-policy';
import { MAX_TIMER_MS } from './timer-ms';

/** Whose a client's exchanges are and where they go: the merchant, the configured base URL, and the retry and failover policy. */
export interface Destination {
  /** The merchant whose client makes the exchanges; every event names it. */
  mchid: string;
  /** The configured base URL; a failover moves an exchange to the policy's backup. */
  baseURL: string;
  /** That URL's host, as events and error messages name it: parsed once per client, not per attempt. */
  host: string;
  /** Retries and failover; one attempt when absent. */
  policy?: RetryPolicy;
}

/** The destination of the exchanges of a client made with `resolved`. */
export function destinationOf(resolved: ResolvedOptions): Destination {
  return { mchid: resolved.mchid, baseURL: resolved.baseURL, host: hostOf(resolved.baseURL), policy: resolved.retry };
}

/** One exchange to send: what it is called in errors, where it goes, and under which deadline. */
export interface Exchange extends Destination {
  /** `POST v3/pay/transactions/jsapi`, as messages name it. */
  what: string;
  deadline: Deadline;
}

/** Network errors that say the request was never written, when no probe watched the connection (axios' fetch adapter). */
const UNSENT_CODES: ReadonlySet<string> = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED']);

/** How an attempt ended, as far as sending it again is concerned. */
type Outcome =
  /** An answer with this status; 5xx and 429 may be retried (idempotent calls only). */
  | { kind: 'answer'; status: number; retryAfterMs?: number }
  /** No answer; `reached` says whether the request can have been delivered. */
  | { kind: 'network'; reached: boolean; code: string }
  /** Anything else (a refused signature, a timeout, the caller's cancel): final. */
  | { kind: 'final' };

function outcomeOf(error: unknown, probe: ConnectionProbe | undefined): Outcome {
  if (error instanceof ApiError && error.response) {
    return { kind: 'answer', status: error.response.status, retryAfterMs: retryAfterMs(responseHeader(error.response, 'retry-after'), Date.now()) };
  }
  if (error instanceof WechatpayError || error instanceof CanceledError || !(error instanceof AxiosError) || error.response) return { kind: 'final' };
  const code = error.code ?? 'ERR_NETWORK';
  const reached = probe?.used ? probe.connected : !UNSENT_CODES.has(code);
  return { kind: 'network', reached, code };
}

function hostOf(baseURL: string): string {
  return new URL(baseURL).host;
}

/** `3 attempts: api.mch.weixin.qq.com ×2, api2.mch.weixin.qq.com`. */
function summary(hosts: readonly string[]): string {
  const runs: [string, number][] = [];
  for (const host of hosts) {
    const last = runs[runs.length - 1];
    if (last && last[0] === host) last[1] += 1;
    else runs.push([host, 1]);
  }
  return `${hosts.length} attempt${hosts.length === 1 ? '' : 's'}: ${runs.map(([host, n]) => (n > 1 ? `${host} ×${n}` : host)).join(', ')}`;
}

/** The error the caller gets: a network failure as a {@link NetworkError}; anything else as it was, its message naming the attempts when there were several. */
function finalError(error: unknown, outcome: Outcome, exchange: Exchange, hosts: readonly string[]): unknown {
  if (outcome.kind === 'network') {
    const cause = error as AxiosError;
    const fate = outcome.reached
      ? 'the request may have reached the gateway and been processed: query it before sending it again'
      : 'the request never reached the gateway';
    return new NetworkError(`${exchange.what}: ${cause.message || outcome.code} (${outcome.code}); ${fate} (${summary(hosts)})`, { mayHaveBeenProcessed: outcome.reached, hosts }, { config: cause.config, cause });
  }
  if (hosts.length > 1 && error instanceof Error) error.message += ` (${summary(hosts)})`;
  return error;
}

/**
 * Sends one exchange through `instance`, attempt after attempt as the policy allows, and
 * resolves to the first answer that passes. The request interceptors run on every attempt, so
 * each is signed anew (new timestamp and nonce) for the host it goes to.
 *
 * - A request that provably never reached the host (the probe saw no connection: DNS, refused,
 *   TLS handshake, connect timeout) moves to the backup host when there is one, at once, whatever
 *   its method; otherwise it is retried like an idempotent one.
 * - A GET is retried after a network error, a 5xx or a 429, after `Retry-After` or a back-off
 *   with full jitter. Other methods are not: they may have been processed.
 * - No wait outlasts the deadline: when the next attempt could not start in time, the last
 *   failure is final.
 *
 * Every attempt is published on the diagnostics channels while someone listens.
 */
export async function sendAttempts<T = unknown>(instance: AxiosInstance, config: AxiosRequestConfig, exchange: Exchange): Promise<AxiosResponse<T>> {
  const { policy, deadline } = exchange;
  const method = (config.method ?? 'get').toUpperCase();
  const path = `/${(config.url ?? '').replace(/^\/+/, '')}`;
  const hosts: string[] = [];
  let { baseURL, host } = exchange;
  let failedOver = false;
  for (;;) {
    const probe = policy && new ConnectionProbe(policy.connectTimeoutMs);
    const attempt: AxiosRequestConfig = { ...config, baseURL };
    if (probe) attempt.transport = probe.transport;
    const event: ExchangeEvent = { mchid: exchange.mchid, method, host, path, attempt: hosts.length + 1 };
    hosts.push(event.host);
    if (CHANNELS.request.hasSubscribers) CHANNELS.request.publish(event);
    const started = performance.now();
    try {
      const response = await instance.request<T>(withDeadline(attempt, deadline));
      publishResponse(event, response, started);
      return response;
    } catch (error) {
      const outcome = outcomeOf(error, probe);
      publishFailure(event, error, started);
      if (!policy) throw finalError(error, outcome, exchange, hosts);
      if (outcome.kind === 'network' && !outcome.reached && policy.backup && !failedOver) {
        failedOver = true;
        baseURL = policy.backup;
        host = hostOf(baseURL);
        if (CHANNELS.failover.hasSubscribers) CHANNELS.failover.publish({ ...event, to: host, reason: outcome.code });
        continue;
      }
      const retries = hosts.length - (failedOver ? 1 : 0);
      const reason = retryReason(outcome, method);
      if (reason === undefined || retries >= policy.attempts) throw finalError(error, outcome, exchange, hosts);
      const delayMs = (outcome.kind === 'answer' ? outcome.retryAfterMs : undefined) ?? backoffMs(policy, retries);
      // A wait past the deadline, or longer than a timer holds (a Retry-After of weeks, with no deadline), is no retry.
      if (delayMs >= Math.min(deadline.remainingMs(), MAX_TIMER_MS)) throw finalError(error, outcome, exchange, hosts);
      if (CHANNELS.retry.hasSubscribers) CHANNELS.retry.publish({ ...event, delayMs, reason });
      await deadline.sleep(delayMs);
    }
  }
}

/**
 * Why an attempt that ended as `outcome` may be sent again (`HTTP 503`, `ECONNRESET`), or
 * undefined when it may not: any method that never reached the gateway, and a GET after a network
 * error, a 5xx or a 429.
 */
function retryReason(outcome: Outcome, method: string): string | undefined {
  if (outcome.kind === 'network') return !outcome.reached || method === 'GET' ? outcome.code : undefined;
  if (outcome.kind === 'answer' && method === 'GET' && (outcome.status >= 500 || outcome.status === 429)) return `HTTP ${outcome.status}`;
  return undefined;
}

/** Publishes the answer an attempt got, whatever its status. */
function publishResponse(event: ExchangeEvent, response: AxiosResponse, started: number): void {
  if (CHANNELS.response.hasSubscribers) CHANNELS.response.publish({ ...event, status: response.status, requestId: responseHeader(response, 'request-id'), durationMs: performance.now() - started });
}

/** Publishes an attempt's failure: its answer too, when there was one. */
function publishFailure(event: ExchangeEvent, error: unknown, started: number): void {
  const response = error instanceof AxiosError ? error.response : undefined;
  if (response) publishResponse(event, response, started);
  if (CHANNELS.error.hasSubscribers) {
    const code = error instanceof AxiosError ? (error.code ?? 'ERR_NETWORK') : 'ERR_UNKNOWN';
    CHANNELS.error.publish({ ...event, code, ...(response ? { status: response.status } : {}) });
  }
}
