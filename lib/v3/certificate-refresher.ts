import { AxiosError, type AxiosInstance } from 'axios';
import type { Destination } from '../attempts';
import { Deadline, DEFAULT_TIMEOUT_MS } from '../deadline';
import { CHANNELS } from '../diagnostics';
import { ErrorCode, WechatpayError } from '../errors';
import type { PlatformKeyring } from '../platform-keys';
import { downloadCertificates } from './certificates';

/** Refresh this long before the last certificate ends, so a rotation never leaves a gap. */
export const REFRESH_AHEAD_MS = 12 * 3600 * 1000;
/** After a failed download, wait this long before the next early refresh (answers still verify with the keys held). */
const RETRY_AFTER_MS = 60 * 1000;
/**
 * Answers naming an unknown certificate start at most one download per this interval, so a
 * hostile or confused upstream cannot turn every answer into a download against the merchant's
 * quota; a genuine rotation is still learnt within it.
 */
export const UNKNOWN_SERIAL_INTERVAL_MS = 5 * 1000;

/** What the refresher downloads with and into. */
export interface RefresherOptions {
  /** The merchant (whom the `wechatpay:certificates` events name), where downloads go, and their retry policy: the client's. */
  destination: Destination;
  apiv3Key: Buffer;
  keyring: PlatformKeyring;
  /** Each download's deadline, in ms; 0 (no deadline for calls) still gives downloads {@link DEFAULT_TIMEOUT_MS}. */
  timeoutMs: number;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

/**
 * Keeps one client's platform certificates current: downloads them when none are held, ahead of
 * the last one's expiry, and when an answer names an unknown certificate. One download is in
 * flight at a time however many requests wait on it, and each has its own deadline: one that
 * never answers is abandoned when it passes, and the next need starts a new one. A merchant
 * without certificates (404/403) is told once and never asked again.
 */
export class CertificateRefresher {
  #inFlight?: Promise<void>;
  #lastStarted = Number.NEGATIVE_INFINITY;
  #notBefore = 0;
  #noCertificates = false;
  readonly #timeoutMs: number;
  readonly #now: () => number;

  constructor(
    private readonly http: AxiosInstance,
    private readonly options: RefresherOptions,
  ) {
    this.#timeoutMs = options.timeoutMs || DEFAULT_TIMEOUT_MS;
    this.#now = options.now ?? Date.now;
  }

  /** Downloads now unless a download is already under way; resolves when the keyring is updated. */
  refresh(): Promise<void> {
    if (this.#noCertificates) return Promise.resolve();
    if (this.#inFlight) return this.#inFlight;
    const { apiv3Key, keyring } = this.options;
    this.#lastStarted = this.#now();
    const { mchid } = this.options.destination;
    if (CHANNELS.certificates.hasSubscribers) CHANNELS.certificates.publish({ phase: 'start', mchid });
    this.#inFlight = new Deadline(this.#timeoutMs, 'GET v3/certificates')
      .run((deadline) => downloadCertificates(this.http, apiv3Key, keyring, { deadline, now: this.#now, destination: this.options.destination }))
      .then((certificates) => {
        for (const { serial, key } of certificates) keyring.add(serial, key);
        keyring.prune(this.#now());
        if (CHANNELS.certificates.hasSubscribers) CHANNELS.certificates.publish({ phase: 'success', mchid, count: certificates.length });
      })
      .catch((error: unknown) => {
        if (CHANNELS.certificates.hasSubscribers) CHANNELS.certificates.publish({ phase: 'failure', mchid, code: error instanceof AxiosError ? (error.code ?? 'ERR_UNKNOWN') : 'ERR_UNKNOWN' });
        if (error instanceof WechatpayError && error.code === ErrorCode.NO_CERTIFICATES) this.#noCertificates = true;
        this.#notBefore = this.#now() + RETRY_AFTER_MS;
        throw error;
      })
      .finally(() => {
        this.#inFlight = undefined;
      });
    return this.#inFlight;
  }

  /**
   * For an answer signed by a key not held: joins the download under way, or starts one unless
   * one started within {@link UNKNOWN_SERIAL_INTERVAL_MS}; resolves at once otherwise (the answer
   * then stays unverifiable).
   */
  refreshForUnknownSerial(): Promise<void> {
    if (this.#inFlight || this.#now() - this.#lastStarted >= UNKNOWN_SERIAL_INTERVAL_MS) return this.refresh();
    return Promise.resolve();
  }

  /**
   * Before a request: a download when there is nothing to verify with, or when the last
   * certificate ends within {@link REFRESH_AHEAD_MS}. A failed early refresh does not fail the
   * request while keys are still held.
   */
  ensureFresh(): Promise<void> | undefined {
    const { keyring } = this.options;
    if (this.#inFlight) return keyring.keys.size > 0 ? undefined : this.#inFlight;
    if (keyring.keys.size === 0) return this.#noCertificates ? undefined : this.refresh();
    const expiry = keyring.latestExpiry;
    if (this.#noCertificates || !expiry || this.#now() < this.#notBefore || expiry.getTime() - this.#now() > REFRESH_AHEAD_MS) return undefined;
    void this.refresh().catch(() => undefined);
    return undefined;
  }
}
