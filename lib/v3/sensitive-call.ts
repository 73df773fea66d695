import type { KeyObject } from 'node:crypto';
import type { AxiosResponse } from 'axios';
import { Rsa } from '../crypto/rsa';
import { InvalidOptionError } from '../errors';
import type { PlatformKeyring } from '../platform-keys';
import { rewriteFields } from './sensitive-fields';

/** The keys a call with sensitive fields needs. */
export interface SensitiveKeys {
  /** The platform keys; the preferred one is encrypted to unless the call names another in `Wechatpay-Serial`. */
  keyring: PlatformKeyring;
  /** The merchant key, which answers' sensitive fields are encrypted to. */
  privateKey: KeyObject;
}

/** A call's options with `encrypt` applied, and how to finish its answer when `decrypt` was asked for. */
export interface SensitiveCall {
  options: unknown;
  finish?: (response: AxiosResponse<unknown>) => AxiosResponse<unknown>;
}

function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Handles the `encrypt` and `decrypt` call options. `encrypt` names `json` fields to encrypt with
 * the platform key (RSA-OAEP), and the request then carries that key's id in `Wechatpay-Serial`;
 * `decrypt` names answer fields encrypted to the merchant key. Calls without them pass untouched.
 */
export function prepareSensitiveCall(options: unknown, keys: SensitiveKeys): SensitiveCall {
  if (options === null || typeof options !== 'object' || (!('encrypt' in options) && !('decrypt' in options))) return { options };
  const { encrypt, decrypt, ...rest } = options as Record<string, unknown>;
  const prepared: Record<string, unknown> = { ...rest };
  if (encrypt !== undefined) {
    if (rest.json === undefined) throw new InvalidOptionError('encrypt: names fields of json, but the call has no json');
    const headers = (rest.headers ?? {}) as Record<string, unknown>;
    const id = (headerValue(headers, 'wechatpay-serial') ?? keys.keyring.preferredId ?? '').toUpperCase();
    const key = keys.keyring.keys.get(id);
    if (!key) throw new InvalidOptionError(`encrypt: Wechatpay-Serial ${id.slice(0, 64)} names no key in certs`);
    prepared.json = rewriteFields(rest.json, encrypt, (value) => Rsa.encrypt(value, key), 'encrypt');
    prepared.headers = { ...headers, 'Wechatpay-Serial': id };
  }
  if (decrypt === undefined) return { options: prepared };
  rewriteFields({}, decrypt, (value) => value, 'decrypt'); // checks the paths before anything is sent
  return {
    options: prepared,
    finish: (response) => {
      response.data = rewriteFields(response.data, decrypt, (value) => Rsa.decrypt(value, keys.privateKey), 'decrypt');
      return response;
    },
  };
}
