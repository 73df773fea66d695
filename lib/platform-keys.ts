import { createPublicKey, type KeyObject } from 'node:crypto';
import { InvalidOptionError } from './errors';
import { loadVerificationKey, type VerificationKey } from './keys';

/** When a certificate may be used: its notBefore and notAfter. Absent for a bare public key. */
export interface Validity {
  validFrom?: Date;
  validTo?: Date;
}

/** The merchant's own identity, which must never be mistaken for a platform key. */
export interface MerchantIdentity {
  serial: string;
  /** Absent when the merchant signs with an external signer: its key cannot then be compared. */
  privateKey?: KeyObject;
}

/**
 * Whether `id` names a WeChat Pay public key (`PUB_KEY_ID_…`) rather than a platform certificate.
 * Only certificates are downloaded (`GET /v3/certificates`): a public key the client lacks is
 * added to `certs` by hand, so an answer or a notification naming one never starts a download.
 */
export function isPublicKeyId(id: string): boolean {
  return id.toUpperCase().startsWith('PUB_KEY_ID_');
}

/**
 * The platform keys of one client (no static state, so one process serves many merchants):
 * upper-cased id to public key, with what each certificate says about its validity. It grows
 * when certificates are downloaded and sheds expired ones; overlapping certificates coexist.
 */
export class PlatformKeyring {
  /** Id to key, read by the verifier on every answer. */
  readonly keys = new Map<string, KeyObject>();
  readonly #details = new Map<string, VerificationKey>();

  constructor(entries: Iterable<[string, VerificationKey]> = []) {
    for (const [id, key] of entries) this.add(id, key);
  }

  /** Adds or replaces one key. */
  add(id: string, key: VerificationKey): void {
    this.keys.set(id.toUpperCase(), key.key);
    this.#details.set(id.toUpperCase(), key);
  }

  /** Drops certificates whose validity has ended; public keys have no end and stay. */
  prune(nowMs: number): void {
    for (const [id, key] of this.#details) {
      if (key.validTo && key.validTo.getTime() <= nowMs) {
        this.#details.delete(id);
        this.keys.delete(id);
      }
    }
  }

  /** The validity period of the key `id`, when it is a certificate; public keys have none. */
  validity(id: string): Validity | undefined {
    return this.#details.get(id.toUpperCase());
  }

  /** Whether any X.509 certificate (as opposed to a bare public key) is held. */
  get hasCertificates(): boolean {
    return [...this.#details.values()].some((key) => key.validTo !== undefined);
  }

  /** When the last-expiring certificate ends, or undefined without certificates. */
  get latestExpiry(): Date | undefined {
    const ends = [...this.#details.values()].flatMap((key) => (key.validTo ? [key.validTo.getTime()] : []));
    return ends.length > 0 ? new Date(Math.max(...ends)) : undefined;
  }

  /** The public key id if any, else the newest certificate: what `Wechatpay-Serial` asks for, and what sensitive fields are encrypted to. */
  get preferredId(): string | undefined {
    let best: [string, VerificationKey] | undefined;
    for (const entry of this.#details) {
      if (isPublicKeyId(entry[0])) return entry[0];
      if (!best || (entry[1].validFrom?.getTime() ?? 0) >= (best[1].validFrom?.getTime() ?? 0)) best = entry;
    }
    return best?.[0];
  }
}


/**
 * Loads `certs` (platform certificate serial or `PUB_KEY_ID_…` to certificate or public key)
 * once. With `merchant` given, refuses its serial and its public key, which would let the
 * merchant's own key vouch for answers. A certificate filed under another serial is refused too.
 * `allowEmpty` is for clients that download their certificates (they give `apiv3Key`).
 */
export function loadPlatformKeys(certs: unknown, merchant?: MerchantIdentity, option = 'certs', allowEmpty = false): PlatformKeyring {
  if (allowEmpty && certs === undefined) return new PlatformKeyring();
  if (certs === null || typeof certs !== 'object' || Array.isArray(certs) || (!allowEmpty && Object.keys(certs).length === 0)) {
    throw new InvalidOptionError(`${option}: expected { [platform serial or PUB_KEY_ID_…]: certificate or public key } with at least one entry`);
  }
  const merchantPublic = merchant?.privateKey && createPublicKey(merchant.privateKey);
  const loaded: Array<[string, VerificationKey]> = Object.entries(certs as Record<string, unknown>).map(([id, input]) => {
    const name = `${option}["${id.slice(0, 64)}"]`;
    const upper = id.toUpperCase();
    if (!/^(?:PUB_KEY_ID_[0-9A-Z_]+|[0-9A-F]{1,64})$/.test(upper)) {
      throw new InvalidOptionError(`${name}: the key must be a platform certificate serial (hex) or a public key id (PUB_KEY_ID_…)`);
    }
    if (merchant && upper === merchant.serial.toUpperCase()) {
      throw new InvalidOptionError(`${name}: this is the merchant's own serial; certs holds the platform's keys, which verify answers`);
    }
    const verificationKey = loadVerificationKey(input, name);
    if (verificationKey.certificateSerial !== undefined && verificationKey.certificateSerial !== upper) {
      throw new InvalidOptionError(`${name}: the certificate's own serial is ${verificationKey.certificateSerial}`);
    }
    if (merchantPublic?.equals(verificationKey.key)) {
      throw new InvalidOptionError(`${name}: this is the merchant's own public key; certs holds the platform's keys`);
    }
    return [upper, verificationKey];
  });
  return new PlatformKeyring(loaded);
}
