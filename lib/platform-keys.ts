import { createPublicKey, type KeyObject } from 'node:crypto';
import { ErrorCode, OptionError } from './errors';
import { loadVerificationKey, type VerificationKey } from './keys';

/** The merchant's own identity, which must never be mistaken for a platform key. */
export interface MerchantIdentity {
  serial: string;
  privateKey: KeyObject;
}

/** The platform keys, loaded: upper-cased id to key, and the id answers should be signed with. */
export interface PlatformKeys {
  keys: Map<string, KeyObject>;
  /** The public key id if any, else the newest certificate: what `Wechatpay-Serial` asks for. */
  preferredId: string;
}

function invalid(message: string): OptionError {
  return new OptionError(message, ErrorCode.INVALID_OPTION);
}

/**
 * Loads `certs` (platform certificate serial or `PUB_KEY_ID_…` to certificate or public key)
 * once. With `merchant` given, refuses its serial and its public key, which would let the
 * merchant's own key vouch for answers. A certificate filed under another serial is refused too.
 */
export function loadPlatformKeys(certs: unknown, merchant?: MerchantIdentity, option = 'certs'): PlatformKeys {
  if (certs === null || typeof certs !== 'object' || Array.isArray(certs) || Object.keys(certs).length === 0) {
    throw invalid(`${option}: expected { [platform serial or PUB_KEY_ID_…]: certificate or public key } with at least one entry`);
  }
  const merchantPublic = merchant && createPublicKey(merchant.privateKey).export({ format: 'der', type: 'spki' });
  const loaded: Array<[string, VerificationKey]> = Object.entries(certs as Record<string, unknown>).map(([id, input]) => {
    const name = `${option}["${id.slice(0, 64)}"]`;
    const upper = id.toUpperCase();
    if (!/^(?:PUB_KEY_ID_[0-9A-Z_]+|[0-9A-F]{1,64})$/.test(upper)) {
      throw invalid(`${name}: the key must be a platform certificate serial (hex) or a public key id (PUB_KEY_ID_…)`);
    }
    if (merchant && upper === merchant.serial.toUpperCase()) {
      throw invalid(`${name}: this is the merchant's own serial; certs holds the platform's keys, which verify answers`);
    }
    const verificationKey = loadVerificationKey(input, name);
    if (verificationKey.certificateSerial !== undefined && verificationKey.certificateSerial !== upper) {
      throw invalid(`${name}: the certificate's own serial is ${verificationKey.certificateSerial}`);
    }
    if (merchantPublic?.equals(verificationKey.key.export({ format: 'der', type: 'spki' }))) {
      throw invalid(`${name}: this is the merchant's own public key; certs holds the platform's keys`);
    }
    return [upper, verificationKey];
  });
  const publicKeyId = loaded.find(([id]) => id.startsWith('PUB_KEY_ID_'));
  const newest = loaded.reduce((best, entry) => ((entry[1].validFrom?.getTime() ?? 0) >= (best[1].validFrom?.getTime() ?? 0) ? entry : best));
  return { keys: new Map(loaded.map(([id, { key }]) => [id, key])), preferredId: (publicKeyId ?? newest)[0] };
}
