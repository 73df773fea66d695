import type { KeyObject } from 'node:crypto';
import type { CreateAxiosDefaults } from 'axios';
import { ErrorCode, OptionError } from './errors';
import { loadPrivateKey, type KeyInput } from './keys';
import { loadPlatformKeys } from './platform-keys';

/** The production APIv3 host; `https://api2.mch.weixin.qq.com/` is the backup. */
export const DEFAULT_BASE_URL = 'https://api.mch.weixin.qq.com/';

/** What `new Wechatpay()` takes: the merchant's identity and keys, plus any axios default. */
export interface WechatpayOptions extends Omit<CreateAxiosDefaults, 'url' | 'method' | 'data' | 'transformRequest' | 'transformResponse'> {
  /** The merchant id (商户号), digits. */
  mchid: string;
  /** The serial (hex) of the merchant API certificate whose private key signs requests. */
  serial: string;
  /** The merchant API private key: PEM or DER (PKCS#1 or PKCS#8), a `file://` URL, or a `KeyObject`. */
  privateKey: KeyInput;
  /**
   * The keys that verify the gateway's answers: platform certificate serial or WeChat Pay public
   * key id (`PUB_KEY_ID_…`) to the certificate or public key (PEM, DER, `file://` or `KeyObject`).
   */
  certs: Record<string, KeyInput>;
  /** The gateway, `https://api.mch.weixin.qq.com/` unless given (a path prefix is kept and signed). */
  baseURL?: string;
}

/** The options once checked and every key loaded. */
export interface ResolvedOptions {
  mchid: string;
  serial: string;
  privateKey: KeyObject;
  /** Upper-cased key id to public key. */
  keys: Map<string, KeyObject>;
  /** The key id responses should be signed with: the public key id if any, else the newest certificate. */
  responseKeyId: string;
  baseURL: string;
  /** Every option that is not the SDK's own, handed to axios as instance defaults. */
  axiosDefaults: CreateAxiosDefaults;
}

const OWN_KEYS = new Set(['mchid', 'serial', 'privateKey', 'certs', 'baseURL']);
const REFUSED_KEYS = new Set(['url', 'method', 'data', 'transformRequest', 'transformResponse']);

function invalid(message: string): OptionError {
  return new OptionError(message, ErrorCode.INVALID_OPTION);
}

function checkBaseURL(value: unknown): string {
  if (value === undefined) return DEFAULT_BASE_URL;
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '') {
    throw invalid('baseURL: expected an absolute http(s) URL without query or fragment');
  }
  return url.href;
}

/**
 * Checks every client option and loads every key once. Each failure is an OptionError naming
 * the option at fault; key material never appears in a message.
 */
export function resolveOptions(options: unknown): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw invalid('options: expected an object with mchid, serial, privateKey and certs');
  const given = options as Record<string, unknown>;
  const { mchid, serial, privateKey, certs } = given;
  if (typeof mchid !== 'string' || !/^\d{1,32}$/.test(mchid)) throw invalid('mchid: expected the merchant id as a string of digits');
  if (typeof serial !== 'string' || !/^[0-9A-Fa-f]{1,64}$/.test(serial)) throw invalid('serial: expected the merchant certificate serial in hex');
  if (privateKey === undefined) throw invalid('privateKey: missing; give the merchant API private key (PEM, file:// URL or KeyObject)');
  const key = loadPrivateKey(privateKey, 'privateKey');
  const platform = loadPlatformKeys(certs, { serial, privateKey: key });
  const axiosDefaults: CreateAxiosDefaults = {};
  for (const [name, value] of Object.entries(given)) {
    if (REFUSED_KEYS.has(name)) throw invalid(`${name}: not accepted as a client option; the SDK owns it to keep what is signed equal to what is sent`);
    if (!OWN_KEYS.has(name)) (axiosDefaults as Record<string, unknown>)[name] = value;
  }
  return {
    mchid,
    serial: serial.toUpperCase(),
    privateKey: key,
    keys: platform.keys,
    responseKeyId: platform.preferredId,
    baseURL: checkBaseURL(given.baseURL),
    axiosDefaults,
  };
}
