import type { KeyObject } from 'node:crypto';
import type { SecureContext, SecureContextOptions } from 'node:tls';
import type { CreateAxiosDefaults } from 'axios';
import { InvalidOptionError } from './errors';
import { loadPrivateKey, type KeyInput } from './keys';
import { loadPlatformKeys, type PlatformKeyring } from './platform-keys';
import { resolveRetryPolicy, type FailoverOptions, type RetryOptions, type RetryPolicy } from './retry-policy';
import { loadTlsIdentity, type TlsIdentityInput } from './tls-identity';
import { checkSigner, type MessageSigner } from './v3/external-signer';

/** The production host of both APIs; `https://api2.mch.weixin.qq.com/` is the backup. */
export const DEFAULT_BASE_URL = 'https://api.mch.weixin.qq.com/';

/**
 * What `new Wechatpay()` takes: the merchant id, the APIv3 keys (`serial`, `privateKey`,
 * `certs`), the APIv2 key and certificate (`secret`, `merchant`), and any axios default. A
 * merchant that uses only one API gives only that API's options.
 */
export interface WechatpayOptions extends Omit<CreateAxiosDefaults, 'url' | 'method' | 'data' | 'transformRequest' | 'transformResponse'> {
  /** The merchant id (商户号), digits. */
  mchid: string;
  /** APIv3: the serial (hex) of the merchant API certificate whose private key signs requests. */
  serial?: string;
  /** APIv3: the merchant API private key: PEM or DER (PKCS#1 or PKCS#8), a `file://` URL, or a `KeyObject`. */
  privateKey?: KeyInput;
  /**
   * APIv3, in place of `privateKey`: signs with a key held elsewhere (a KMS, an HSM, a signing
   * service). Gets the exact bytes to sign, returns or resolves to the base64 RSA-SHA256
   * signature. Its latency counts against the call's `timeout`. A client with a signer cannot
   * decrypt answers' sensitive fields (`decrypt`): that needs the private key itself.
   */
  signer?: MessageSigner;
  /**
   * APIv3: the keys that verify the gateway's answers: platform certificate serial or WeChat Pay
   * public key id (`PUB_KEY_ID_…`) to the certificate or public key (PEM, DER, `file://` or `KeyObject`).
   */
  certs?: Record<string, KeyInput>;
  /**
   * APIv3: the 32-byte APIv3 key. With it the client downloads platform certificates itself
   * (`certs` may then be left out), refreshes them before they expire and when an answer names
   * a certificate it does not know yet.
   */
  apiv3Key?: string | Buffer;
  /** APIv2: the 32-character APIv2 key (API密钥) that signs requests and answers. */
  secret?: string;
  /** APIv2: the merchant API certificate for mutual TLS (`security: true` calls): `{ cert, key }` or `{ pfx, passphrase }`. */
  merchant?: TlsIdentityInput;
  /** The gateway, `https://api.mch.weixin.qq.com/` unless given (a path prefix is kept and signed). */
  baseURL?: string;
  /**
   * Sending a call again. Off unless given; `true` is `{ attempts: 3, baseDelayMs: 200,
   * maxDelayMs: 5000, connectTimeoutMs: 5000 }`. A GET is retried after a network error, a 5xx or
   * a 429 (honouring `Retry-After`), with exponential back-off and full jitter, within the call's
   * deadline. POST, PUT, PATCH and DELETE are sent again only when the request provably never
   * reached the gateway (DNS failure, connection refused, TLS handshake failure, connect timeout),
   * so nothing is paid or refunded twice. Each attempt is signed anew.
   */
  retry?: boolean | RetryOptions;
  /**
   * The backup host, for when the configured one cannot be reached. Off unless given; `true` is
   * the official backup (`api2.mch.weixin.qq.com` for `api.mch.weixin.qq.com`, `api2.wechatpay.cn`
   * for `api.wechatpay.cn`); `{ baseURL }` names one. A call moves there only when its request
   * never reached the configured host, whatever its method.
   */
  failover?: boolean | FailoverOptions;
}

/** The APIv3 keys, loaded. */
export interface ResolvedV3 {
  serial: string;
  /** The merchant API private key, unless the client signs with an external {@link signer}. */
  privateKey?: KeyObject;
  /** The external signer, in place of the private key. */
  signer?: MessageSigner;
  /** The platform keys, which may grow as certificates are downloaded. */
  keyring: PlatformKeyring;
  /** The APIv3 key, when the client manages its certificates. */
  apiv3Key?: Buffer;
}

/** The APIv2 secret and, when given, the mutual-TLS context built from the merchant certificate. */
export interface ResolvedV2 {
  secret: string;
  secureContext?: SecureContext;
}

/** The options once checked and every key loaded. */
export interface ResolvedOptions {
  mchid: string;
  baseURL: string;
  /** Every option that is not the SDK's own, handed to axios as instance defaults. */
  axiosDefaults: CreateAxiosDefaults;
  /** Present when the APIv3 options were given. */
  v3?: ResolvedV3;
  /** Present when the APIv2 secret was given. */
  v2?: ResolvedV2;
  /** Present when `retry` or `failover` was given; one attempt otherwise. */
  retry?: RetryPolicy;
}

const OWN_KEYS = new Set(['mchid', 'serial', 'privateKey', 'signer', 'certs', 'apiv3Key', 'secret', 'merchant', 'baseURL', 'retry', 'failover']);
const REFUSED_KEYS = new Set(['url', 'method', 'data', 'transformRequest', 'transformResponse']);

/**
 * Every client option name the SDK reads or documents. A name that matches one only in another
 * case (`baseUrl`) would go to axios, which reads nothing of it, and leave the SDK's default in
 * force (the production gateway, for baseURL), so it is refused.
 */
const OPTION_NAMES = [...OWN_KEYS, ...REFUSED_KEYS, 'timeout', 'headers', 'httpAgent', 'httpsAgent', 'proxy', 'maxContentLength', 'maxBodyLength', 'adapter', 'signal'];

function byLowerCaseOf(names: readonly string[]): ReadonlyMap<string, string> {
  return new Map(names.map((name) => [name.toLowerCase(), name]));
}

const CLIENT_NAMES_BY_LOWER_CASE = byLowerCaseOf(OPTION_NAMES);

/**
 * Refuses a name of `given` that matches a client option name, or one of `more` (a function's own
 * options beside the client's), only in another case: see {@link OPTION_NAMES}.
 */
export function checkOptionCase(given: object, more: readonly string[] = []): void {
  const byLowerCase = more.length === 0 ? CLIENT_NAMES_BY_LOWER_CASE : byLowerCaseOf([...OPTION_NAMES, ...more]);
  for (const name of Object.keys(given)) {
    const meant = byLowerCase.get(name.toLowerCase());
    if (meant !== undefined && meant !== name) throw new InvalidOptionError(`${name.slice(0, 64)}: option names are case-sensitive; did you mean ${meant}?`);
  }
}

/** Whether `value` is a merchant id (商户号): a string of up to 32 digits. */
export function isMchid(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,32}$/.test(value);
}

function checkBaseURL(value: unknown, option = 'baseURL'): string {
  if (value === undefined && option === 'baseURL') return DEFAULT_BASE_URL;
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '') {
    throw new InvalidOptionError(`${option}: expected an absolute http(s) URL without query or fragment`);
  }
  return url.href;
}

function resolveV3(given: Record<string, unknown>): ResolvedV3 | undefined {
  const { serial, privateKey, signer, certs, apiv3Key } = given;
  if (serial === undefined && privateKey === undefined && signer === undefined && certs === undefined && apiv3Key === undefined) return undefined;
  if (typeof serial !== 'string' || !/^[0-9A-Fa-f]{1,64}$/.test(serial)) throw new InvalidOptionError('serial: expected the merchant certificate serial in hex (APIv3 needs serial, privateKey, and certs or apiv3Key)');
  if (privateKey !== undefined && signer !== undefined) throw new InvalidOptionError('privateKey, signer: give one of them, not both');
  if (privateKey === undefined && signer === undefined) throw new InvalidOptionError('privateKey: missing; give the merchant API private key (PEM, file:// URL or KeyObject), or a signer for a key held elsewhere');
  const key = privateKey === undefined ? undefined : loadPrivateKey(privateKey, 'privateKey');
  if (apiv3Key !== undefined && (!(typeof apiv3Key === 'string' || Buffer.isBuffer(apiv3Key)) || Buffer.byteLength(apiv3Key) !== 32)) {
    throw new InvalidOptionError('apiv3Key: expected the 32-byte APIv3 key as a string or Buffer');
  }
  const keyring = loadPlatformKeys(certs, { serial, privateKey: key }, 'certs', apiv3Key !== undefined);
  return { serial: serial.toUpperCase(), privateKey: key, signer: signer === undefined ? undefined : checkSigner(signer), keyring, apiv3Key: apiv3Key === undefined ? undefined : Buffer.from(apiv3Key) };
}

function resolveV2(given: Record<string, unknown>): ResolvedV2 | undefined {
  const { secret, merchant } = given;
  if (secret === undefined) {
    if (merchant !== undefined) throw new InvalidOptionError('merchant: the APIv2 certificate is only used with the APIv2 secret; give secret too');
    return undefined;
  }
  if (typeof secret !== 'string' || secret.length !== 32) throw new InvalidOptionError('secret: expected the 32-character APIv2 key');
  // The client's own httpsAgent options (a private CA, say) carry over into the mutual-TLS context.
  const base = (given.httpsAgent as { options?: SecureContextOptions } | undefined)?.options;
  return { secret, secureContext: merchant === undefined ? undefined : loadTlsIdentity(merchant, 'merchant', base) };
}

/**
 * Checks every client option and loads every key once. Each failure is an OptionError naming
 * the option at fault; key material never appears in a message.
 */
export function resolveOptions(options: unknown): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw new InvalidOptionError('options: expected an object with mchid and the APIv3 (serial, privateKey, certs) or APIv2 (secret) options');
  const given = options as Record<string, unknown>;
  checkOptionCase(given);
  const { mchid } = given;
  if (!isMchid(mchid)) throw new InvalidOptionError('mchid: expected the merchant id as a string of digits');
  const v3 = resolveV3(given);
  const v2 = resolveV2(given);
  if (!v3 && !v2) throw new InvalidOptionError('options: give the APIv3 options (serial, privateKey, certs), the APIv2 secret, or both');
  const axiosDefaults: CreateAxiosDefaults = {};
  for (const [name, value] of Object.entries(given)) {
    if (REFUSED_KEYS.has(name)) throw new InvalidOptionError(`${name}: not accepted as a client option; the SDK owns it to keep what is signed equal to what is sent`);
    if (!OWN_KEYS.has(name)) (axiosDefaults as Record<string, unknown>)[name] = value;
  }
  const baseURL = checkBaseURL(given.baseURL);
  return { mchid, baseURL, axiosDefaults, v3, v2, retry: resolveRetryPolicy(given.retry, given.failover, baseURL, checkBaseURL) };
}
