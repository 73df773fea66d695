import { InvalidOptionError } from './errors';
import { listed } from './listed';
import { unknownKey } from './plain-object';
import { isTimerMs, MAX_TIMER_MS } from './timer-ms';

/** How a client sends a call again (option `retry`). */
export interface RetryOptions {
  /** Attempts in all, the first included; 3 with `retry: true`. */
  attempts?: number;
  /** The first back-off ceiling, in ms, doubling each retry: 200 unless given. */
  baseDelayMs?: number;
  /** The largest back-off, in ms: 5000 unless given. */
  maxDelayMs?: number;
  /**
   * How long a new connection may take to be established (TCP, and TLS for https), in ms: 5000
   * unless given. A connection that takes longer is abandoned as never reached, so the call may
   * move on to another attempt or the backup host.
   */
  connectTimeoutMs?: number;
}

/** The backup host to move to when the configured one cannot be reached (option `failover`). */
export interface FailoverOptions {
  baseURL: string;
}

/** The retry and failover options, checked. */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  connectTimeoutMs: number;
  /** The backup base URL, when failover is on. */
  backup?: string;
}

/** The official hosts and their backups, as every API page names them. */
const BACKUP_HOSTS: Readonly<Record<string, string>> = {
  'api.mch.weixin.qq.com': 'api2.mch.weixin.qq.com',
  'api.wechatpay.cn': 'api2.wechatpay.cn',
};

const RETRY_DEFAULTS = { attempts: 3, baseDelayMs: 200, maxDelayMs: 5000, connectTimeoutMs: 5000 };

/** `retry.attempts`: the first attempt included, so at least 1. */
function attemptCount(value: unknown): number {
  if (value === undefined) return RETRY_DEFAULTS.attempts;
  if (!Number.isSafeInteger(value) || (value as number) < 1) throw new InvalidOptionError('retry.attempts: expected a whole number, at least 1');
  return value as number;
}

/** A wait in ms (`baseDelayMs`, `maxDelayMs`, `connectTimeoutMs`): one a timer holds. */
function wait(value: unknown, name: string, least: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!isTimerMs(value, least, true)) throw new InvalidOptionError(`retry.${name}: expected a whole number from ${least} to ${MAX_TIMER_MS} (ms)`);
  return value;
}

/** The official backup of `baseURL` (same scheme and path, host `api2…`), or undefined for any other host. */
export function officialBackup(baseURL: string): string | undefined {
  const url = new URL(baseURL);
  const backup = BACKUP_HOSTS[url.host];
  if (!backup) return undefined;
  url.host = backup;
  return url.href;
}

/**
 * The policy the `retry` and `failover` options ask for, or undefined when neither is given: one
 * attempt, as without them. `retry: true` takes every default; `failover: true` the official
 * backup of `baseURL`; `checkBaseURL` checks a backup given as `{ baseURL }`.
 */
export function resolveRetryPolicy(retry: unknown, failover: unknown, baseURL: string, checkBaseURL: (value: unknown, option: string) => string): RetryPolicy | undefined {
  if ((retry === undefined || retry === false) && (failover === undefined || failover === false)) return undefined;
  let given: RetryOptions;
  if (retry === true) given = {};
  else if (retry === undefined || retry === false) given = { attempts: 1 };
  else if (retry !== null && typeof retry === 'object' && !Array.isArray(retry)) given = retry;
  else throw new InvalidOptionError('retry: expected true, false, or { attempts, baseDelayMs, maxDelayMs, connectTimeoutMs }');
  const unknown = unknownKey(given, RETRY_DEFAULTS);
  if (unknown !== undefined) throw new InvalidOptionError(`retry.${unknown}: unknown; retry takes ${listed(Object.keys(RETRY_DEFAULTS))}`);
  const policy: RetryPolicy = {
    attempts: attemptCount(given.attempts),
    baseDelayMs: wait(given.baseDelayMs, 'baseDelayMs', 0, RETRY_DEFAULTS.baseDelayMs),
    maxDelayMs: wait(given.maxDelayMs, 'maxDelayMs', 0, RETRY_DEFAULTS.maxDelayMs),
    connectTimeoutMs: wait(given.connectTimeoutMs, 'connectTimeoutMs', 1, RETRY_DEFAULTS.connectTimeoutMs),
  };
  if (failover === true) {
    policy.backup = officialBackup(baseURL);
    if (!policy.backup) throw new InvalidOptionError(`failover: true needs an official baseURL (${Object.keys(BACKUP_HOSTS).join(' or ')}); give the backup as failover: { baseURL }`);
  } else if (failover !== undefined && failover !== false) {
    if (failover === null || typeof failover !== 'object' || !('baseURL' in failover)) throw new InvalidOptionError('failover: expected true, false, or { baseURL }');
    policy.backup = checkBaseURL((failover as FailoverOptions).baseURL, 'failover.baseURL');
  }
  return policy;
}

/** The wait before retry number `retry` (1 for the first): full jitter, a random share of the doubling ceiling. */
export function backoffMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/** A `Retry-After` header as ms from `nowMs`: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  // An HTTP date starts with the day's name (`Sat, 28 Nov 2026 08:00:03 GMT`); Date.parse alone would take `-1` for a year.
  if (!/^\s*[A-Za-z]{3}/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
