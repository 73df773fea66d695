import { invalidArgument } from '../crypto/arguments';
import { Hash } from '../crypto/hash';
import { Formatter } from '../formatter';

/** The two APIv2 signature algorithms; `MD5` is APIv2's default when `sign_type` is absent. */
export type V2SignType = 'MD5' | 'HMAC-SHA256';

const SECRET_LENGTH = 32;

/** HMAC-SHA256 signs are 64 hex digits, MD5 signs 32: the length tells them apart when `sign_type` is absent. */
const HMAC_SHA256_SIGN_LENGTH = 64;

/**
 * Checks the APIv2 key (32 characters, set in the merchant platform). A wrong-sized key can only
 * produce signatures the gateway rejects, so it is refused up front. The message never shows it.
 */
export function checkV2Secret(secret: unknown, name: string): string {
  if (typeof secret !== 'string') throw invalidArgument(name, `expected the 32-character APIv2 key as a string, got ${secret === null ? 'null' : typeof secret}`);
  if (secret.length !== SECRET_LENGTH) throw invalidArgument(name, `must be the ${SECRET_LENGTH}-character APIv2 key`);
  return secret;
}

function checkParams(params: unknown, name: string): Record<string, unknown> {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw invalidArgument(name, 'expected an object of fields');
  const fields = params as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    // An object would be signed as "[object Object]": a signature nobody else can reproduce.
    if (typeof value === 'object' && value !== null) throw invalidArgument(`${name}.${key}`, 'is an object; APIv2 signs flat string fields only');
    if (typeof value === 'function' || typeof value === 'symbol') throw invalidArgument(`${name}.${key}`, `is a ${typeof value}; APIv2 signs flat string fields only`);
  }
  return fields;
}

function signWith(params: Record<string, unknown>, secret: string, signType: V2SignType): string {
  const message = `${Formatter.queryStringLike(params)}&key=${secret}`;
  return (signType === 'MD5' ? Hash.md5(message) : Hash.hmacSha256(message, secret)).toUpperCase();
}

/**
 * The APIv2 `sign` of `params`: upper-case hex of MD5 (default) or HMAC-SHA256 keyed by the
 * secret, over `k1=v1&k2=v2…&key=SECRET` (keys in byte order, `sign` and empty values left out).
 * If you sign with HMAC-SHA256, put `sign_type: 'HMAC-SHA256'` in `params` too: the gateway
 * reads the algorithm from that field, and the field is itself signed.
 *
 * @throws OptionError (INVALID_ARGUMENT) for a secret that is not 32 characters, an unknown
 * `signType`, or a field whose value is an object.
 *
 * @example
 * signV2({ appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', device_info: '1000', body: 'test', nonce_str: 'ibuaiVcKdpRxkhJA' },
 *   '192006250b4c09247ec02edce69f6a2d'); // '9A0A8659F005D6984697E2CA0A9CF3B7'
 */
export function signV2(params: Record<string, unknown>, secret: string, signType: V2SignType = 'MD5'): string {
  const fields = checkParams(params, 'signV2: params');
  const key = checkV2Secret(secret, 'signV2: secret');
  if (signType !== 'MD5' && signType !== 'HMAC-SHA256') throw invalidArgument('signV2: signType', "must be 'MD5' or 'HMAC-SHA256'");
  return signWith(fields, key, signType);
}

/** The algorithm a request's fields are signed with: HMAC-SHA256 when `sign_type` says so, else MD5. */
export function requestSignType(fields: Record<string, unknown>): V2SignType {
  return fields.sign_type === 'HMAC-SHA256' ? 'HMAC-SHA256' : 'MD5';
}

/**
 * Whether `params.sign` is the APIv2 signature of `params` under `secret`. With `signType`, the
 * sign must be of that algorithm (and a `sign_type` field, if any, must name it): an answer is
 * checked with the algorithm its request was signed with, so a weaker one cannot stand in.
 * Without it, the algorithm comes from `params.sign_type` when present, else from the sign's
 * length (64 hex digits = HMAC-SHA256, otherwise MD5), as for a notification. The comparison
 * takes constant time. A missing or empty `sign`, or a `sign_type` other than `MD5` /
 * `HMAC-SHA256`, gives `false`: nothing could be verified.
 *
 * @throws OptionError (INVALID_ARGUMENT) for a secret that is not 32 characters, or a field
 * whose value is an object.
 */
export function verifyV2(params: Record<string, unknown>, secret: string, signType?: V2SignType): boolean {
  const fields = checkParams(params, 'verifyV2: params');
  const key = checkV2Secret(secret, 'verifyV2: secret');
  if (signType !== undefined && signType !== 'MD5' && signType !== 'HMAC-SHA256') throw invalidArgument('verifyV2: signType', "must be 'MD5' or 'HMAC-SHA256'");
  const sign = fields.sign;
  if (typeof sign !== 'string' || sign === '') return false;
  const declared = fields.sign_type;
  const declares = declared !== undefined && declared !== null && declared !== '';
  if (declares && declared !== 'MD5' && declared !== 'HMAC-SHA256') return false;
  if (declares && signType !== undefined && declared !== signType) return false;
  const used = signType ?? (declares ? declared : sign.length === HMAC_SHA256_SIGN_LENGTH ? 'HMAC-SHA256' : 'MD5');
  return Hash.equals(signWith(fields, key, used), sign);
}
