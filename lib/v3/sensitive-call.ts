import type { KeyObject } from 'node:crypto';
import type { AxiosResponse } from 'axios';
import { Rsa } from '../crypto/rsa';
import { InvalidOptionError } from '../errors';
import type { PlatformKeyring } from '../platform-keys';
import type { V3Call } from './call-options';
import { rewriteFields } from './sensitive-fields';

/** The keys a call with sensitive fields needs. */
export interface SensitiveKeys {
  /** The platform keys; the preferred one is encrypted to unless the call names another in `Wechatpay-Serial`. */
  keyring: PlatformKeyring;
  /** The merchant key, which answers' sensitive fields are encrypted to; absent when the client signs with an external signer. */
  privateKey?: KeyObject;
}

function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Encrypts the `json` fields `call.encrypt` names to the platform key (RSA-OAEP) and sets the
 * body, naming that key in `Wechatpay-Serial` (a `Wechatpay-Serial` the call gave picks the key);
 * returns how to decrypt the answer fields `call.decrypt` names with the merchant key, once the
 * answer is verified. Run after the platform keys are in (a client that downloads its
 * certificates may have none before its first download).
 */
export function applySensitiveFields(call: V3Call, keys: SensitiveKeys): ((response: AxiosResponse<unknown>) => AxiosResponse<unknown>) | undefined {
  const { config, encrypt, decrypt } = call;
  if (encrypt) {
    const headers = (config.headers ?? {}) as Record<string, unknown>;
    const id = (headerValue(headers, 'wechatpay-serial') ?? keys.keyring.preferredId ?? '').toUpperCase();
    const key = keys.keyring.keys.get(id);
    if (!key) throw new InvalidOptionError(`encrypt: Wechatpay-Serial ${id.slice(0, 64)} names no key in certs`);
    config.data = JSON.stringify(rewriteFields(call.json, encrypt, (value) => Rsa.encrypt(value, key), 'encrypt'));
    if (config.data === undefined) throw new InvalidOptionError('option "json" is not serializable to JSON');
    config.headers = { ...headers, 'Wechatpay-Serial': id };
  }
  if (!decrypt) return undefined;
  const { privateKey } = keys;
  if (!privateKey) {
    throw new InvalidOptionError('decrypt: answer fields are encrypted to the merchant key, and decrypting them needs the merchant private key; this client signs with an external signer (option signer), so decrypt them where the key is');
  }
  return (response) => {
    response.data = rewriteFields(response.data, decrypt, (value) => Rsa.decrypt(value, privateKey), 'decrypt');
    return response;
  };
}
