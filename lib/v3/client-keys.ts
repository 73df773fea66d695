import type { PlatformKeyring } from '../platform-keys';

/** What one merchant's notifications are checked with: what a client lends a notification verifier. */
export interface MerchantKeys {
  /** The merchant id of the client; absent for keys given as `certs`. */
  mchid?: string;
  /** The platform keys, the very ring the client verifies its answers with: it grows as certificates download. */
  keyring: PlatformKeyring;
  /** The APIv3 key `resource` is encrypted under, when the client has one. */
  apiv3Key?: Buffer;
  /**
   * The client's certificate refresh for a key it does not hold (single flight, at most one new
   * download per few seconds); absent when the client does not manage its certificates.
   */
  refresh?: () => Promise<void>;
}

/** Kept beside the clients rather than on them: nothing of it is reachable from the client object. */
const lent = new WeakMap<object, MerchantKeys>();

/** Records what `client` lends a notification verifier; called once, as the client is built. */
export function lendKeys(client: object, keys: MerchantKeys): void {
  lent.set(client, keys);
}

/** What `client` lends, or undefined when it is not a client (or has no APIv3 options). */
export function borrowKeys(client: unknown): MerchantKeys | undefined {
  return (typeof client === 'object' && client !== null) || typeof client === 'function' ? lent.get(client) : undefined;
}
