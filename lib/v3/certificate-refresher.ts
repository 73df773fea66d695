import type { AxiosInstance } from 'axios';
import { ErrorCode, WechatpayError } from '../errors';
import type { PlatformKeyring } from '../platform-keys';
import { downloadCertificates } from './certificates';

/** Refresh this long before the last certificate ends, so a rotation never leaves a gap. */
export const REFRESH_AHEAD_MS = 12 * 3600 * 1000;
/** After a failed download, wait this long before the next try (answers still verify with the keys held). */
const RETRY_AFTER_MS = 60 * 1000;

/**
 * Keeps one client's platform certificates current: downloads them when none are held, ahead of
 * the last one's expiry, and when an answer names an unknown certificate. One download is in
 * flight at a time however many requests wait on it. A merchant without certificates (404/403)
 * is told once and never asked again.
 */
export class CertificateRefresher {
  #inFlight?: Promise<void>;
  #notBefore = 0;
  #noCertificates = false;

  constructor(
    private readonly http: AxiosInstance,
    private readonly apiv3Key: Buffer,
    private readonly keyring: PlatformKeyring,
    private readonly now: () => number = Date.now,
  ) {}

  /** Downloads now unless a download is already under way; resolves when the keyring is updated. */
  refresh(): Promise<void> {
    if (this.#noCertificates) return Promise.resolve();
    this.#inFlight ??= downloadCertificates(this.http, this.apiv3Key, this.keyring, this.now)
      .then((certificates) => {
        for (const { serial, key } of certificates) this.keyring.add(serial, key);
        this.keyring.prune(this.now());
      })
      .catch((error: unknown) => {
        if (error instanceof WechatpayError && error.code === ErrorCode.NO_CERTIFICATES) this.#noCertificates = true;
        this.#notBefore = this.now() + RETRY_AFTER_MS;
        throw error;
      })
      .finally(() => {
        this.#inFlight = undefined;
      });
    return this.#inFlight;
  }

  /**
   * Before a request: a download when there is nothing to verify with, or when the last
   * certificate ends within {@link REFRESH_AHEAD_MS}. A failed early refresh does not fail the
   * request while keys are still held.
   */
  ensureFresh(): Promise<void> | undefined {
    if (this.#inFlight) return this.keyring.keys.size > 0 ? undefined : this.#inFlight;
    if (this.keyring.keys.size === 0) return this.#noCertificates ? undefined : this.refresh();
    const expiry = this.keyring.latestExpiry;
    if (this.#noCertificates || !expiry || this.now() < this.#notBefore || expiry.getTime() - this.now() > REFRESH_AHEAD_MS) return undefined;
    void this.refresh().catch(() => undefined);
    return undefined;
  }
}
