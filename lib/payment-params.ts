import type { KeyObject } from 'node:crypto';
import { invalidArgument } from './crypto/arguments';
import { Rsa } from './crypto/rsa';
import { InvalidOptionError } from './errors';
import { Formatter } from './formatter';
import { loadPrivateKey, type KeyInput } from './keys';
import { signV2, type V2SignType } from './v2/signature';

/**
 * What {@link PaymentParams} signs with. Give `privateKey` for the APIv3 builders (`jsapi`,
 * `miniProgram`, `app`), `secret` for the APIv2 ones (`jsapiV2`, `appV2`), or both.
 *
 * @example
 * const options: PaymentParamsOptions = { privateKey: 'file:///etc/wechatpay/apiclient_key.pem' };
 */
export interface PaymentParamsOptions {
  /** The merchant API private key: PEM or DER (PKCS#1 or PKCS#8), bare base64 DER, a `file://` URL, a Buffer or a `KeyObject`. */
  privateKey?: KeyInput;
  /** The 32-character APIv2 key (API密钥), the one APIv2 `unifiedorder` was signed with. */
  secret?: string;
}

/**
 * The order a JSAPI or mini program payment opens: the `prepay_id` from
 * `POST /v3/pay/transactions/jsapi` and the appid that order was placed for.
 *
 * @example
 * const input: JsapiInput = { appId: 'wxd678efh567hg6787', prepayId: 'wx201410272009395522657a690389285100' };
 */
export interface JsapiInput {
  /** The appid the order was placed for (official account or mini program). */
  appId: string;
  /** The `prepay_id` of the order, without the `prepay_id=` prefix. */
  prepayId: string;
  /** Unix seconds, as digits; now unless given (give it only to reproduce a signature). */
  timeStamp?: string | number;
  /** Up to 32 characters; a fresh {@link Formatter.nonce} unless given. */
  nonceStr?: string;
}

/**
 * The arguments of `wx.requestPayment` (mini program) and of `WeixinJSBridge.invoke('getBrandWCPayRequest', …)`
 * (JSAPI, inside WeChat's browser), spelled as those SDKs expect them.
 *
 * @example
 * const params: JsapiParams = payment.jsapi({ appId, prepayId });
 * // in the page: WeixinJSBridge.invoke('getBrandWCPayRequest', params, callback)
 */
export interface JsapiParams {
  appId: string;
  /** Unix seconds as a string, the type both front-end SDKs document for it. */
  timeStamp: string;
  nonceStr: string;
  /** `prepay_id=…`. */
  package: string;
  signType: 'RSA';
  /** Base64 RSA-SHA256 (PKCS#1 v1.5) over `appId\ntimeStamp\nnonceStr\npackage\n`. */
  paySign: string;
}

/**
 * The order an APP payment opens: the `prepay_id` from `POST /v3/pay/transactions/app`.
 *
 * @example
 * const input: AppInput = { appid: 'wxd678efh567hg6787', partnerid: '1900000109', prepayid: 'WX1217752501201407033233368018' };
 */
export interface AppInput {
  /** The mobile application's appid the order was placed for. */
  appid: string;
  /** The merchant id (商户号; a sub-merchant's under a service provider), digits. */
  partnerid: string;
  /** The `prepay_id` of the order. */
  prepayid: string;
  /** Unix seconds, as digits; now unless given. */
  timestamp?: string | number;
  /** Up to 32 characters; a fresh {@link Formatter.nonce} unless given. */
  noncestr?: string;
}

/**
 * What the app hands to the WeChat OpenSDK: the native `PayReq` takes these as `appId`,
 * `partnerId`, `prepayId`, `packageValue`, `nonceStr`, `timeStamp` and `sign`; cross-platform
 * wrappers (uni-app's `orderInfo`, React Native bridges) take the object as it is.
 *
 * @example
 * const params: AppParams = payment.app({ appid, partnerid, prepayid });
 */
export interface AppParams {
  appid: string;
  partnerid: string;
  prepayid: string;
  package: 'Sign=WXPay';
  noncestr: string;
  /** Unix seconds as a string. */
  timestamp: string;
  /** Base64 RSA-SHA256 over `appid\ntimestamp\nnoncestr\nprepayid\n`. */
  sign: string;
}

/**
 * A JSAPI or mini program order placed through APIv2 `unifiedorder`.
 *
 * @example
 * const input: JsapiV2Input = { appId, prepayId, signType: 'HMAC-SHA256' };
 */
export interface JsapiV2Input extends JsapiInput {
  /** `MD5` unless given; must match the `sign_type` of the `unifiedorder` call. */
  signType?: V2SignType;
}

/**
 * The APIv2 form of {@link JsapiParams}: the same fields, signed with the APIv2 key.
 *
 * @example
 * const params: JsapiV2Params = payment.jsapiV2({ appId, prepayId });
 */
export interface JsapiV2Params extends Omit<JsapiParams, 'signType'> {
  signType: V2SignType;
}

/**
 * An APP order placed through APIv2 `unifiedorder`.
 *
 * @example
 * const input: AppV2Input = { appid, partnerid, prepayid };
 */
export type AppV2Input = AppInput;

/**
 * The APIv2 form of {@link AppParams}: `sign` is upper-case hex MD5.
 *
 * @example
 * const params: AppV2Params = payment.appV2({ appid, partnerid, prepayid });
 */
export type AppV2Params = AppParams;

/** Control characters (C0, DEL, C1) and Unicode line breaks: any of them could shift a line of the signed message. */
const CONTROL_OR_BREAK = /[\p{Cc}\p{Zl}\p{Zp}]/u;
/** The separators of an APIv2 signed string: a value holding one could pass for other fields. */
const V2_SEPARATORS = /[&=]/;
const DIGITS = /^\d+$/;
/** Unix seconds have 10 digits until the year 2286; 13 digits is milliseconds, a common slip. */
const MAX_TIMESTAMP_DIGITS = 10;
/** The documented bound of `nonceStr` / `noncestr`. */
const MAX_NONCE_LENGTH = 32;
const SECRET_LENGTH = 32;
const PREPAY_PREFIX = 'prepay_id=';

type Scheme = 'v2' | 'v3';

function typeOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}


/**
 * The input as a record, refusing fields the builder does not take: `timestamp` given to `jsapi`
 * (which spells it `timeStamp`) would otherwise be dropped and the signature made over another value.
 */
function fieldsOf(input: unknown, name: string, allowed: readonly string[]): Record<string, unknown> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw invalidArgument(name, `expected an object with ${allowed.join(', ')}, got ${typeOf(input)}`);
  }
  for (const key of Object.keys(input)) {
    if (allowed.includes(key)) continue;
    const meant = allowed.find((candidate) => candidate.toLowerCase() === key.toLowerCase());
    const label = JSON.stringify(key.slice(0, 64));
    throw invalidArgument(name, meant ? `unknown field ${label}; this builder spells it ${meant}` : `unknown field ${label}; it takes ${allowed.join(', ')}`);
  }
  return input as Record<string, unknown>;
}

/** A value that goes into the signed message verbatim: present, a string, and unable to forge a line or a field. */
function idOf(value: unknown, name: string, scheme: Scheme): string {
  if (value === undefined) throw invalidArgument(name, 'is missing');
  if (typeof value !== 'string') throw invalidArgument(name, `expected a string, got ${typeOf(value)}`);
  if (value === '') throw invalidArgument(name, 'is empty');
  if (CONTROL_OR_BREAK.test(value)) throw invalidArgument(name, 'contains a control character or line break, which would change the signed message');
  if (scheme === 'v2' && V2_SEPARATORS.test(value)) throw invalidArgument(name, 'contains & or =, which would change the signed string');
  return value;
}

function prepayIdOf(value: unknown, name: string, scheme: Scheme): string {
  const id = idOf(value, name, scheme);
  if (id.startsWith(PREPAY_PREFIX)) throw invalidArgument(name, `give the bare prepay_id; the ${PREPAY_PREFIX} prefix is added to package`);
  return id;
}

function timestampOf(value: unknown, name: string): string {
  if (value === undefined) return String(Formatter.timestamp());
  const text = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;
  if (typeof text !== 'string' || !DIGITS.test(text)) throw invalidArgument(name, 'expected Unix seconds as digits');
  if (text.length > MAX_TIMESTAMP_DIGITS) throw invalidArgument(name, `has ${text.length} digits; Unix seconds have at most ${MAX_TIMESTAMP_DIGITS} (milliseconds?)`);
  return text;
}

function nonceOf(value: unknown, name: string, scheme: Scheme): string {
  if (value === undefined) return Formatter.nonce();
  const nonce = idOf(value, name, scheme);
  if (nonce.length > MAX_NONCE_LENGTH) throw invalidArgument(name, `is ${nonce.length} characters; at most ${MAX_NONCE_LENGTH}`);
  return nonce;
}

function partnerIdOf(value: unknown, name: string, scheme: Scheme): string {
  const id = idOf(value, name, scheme);
  if (!DIGITS.test(id)) throw invalidArgument(name, 'expected the merchant id, digits');
  return id;
}

function signTypeOf(value: unknown, name: string): V2SignType {
  if (value === undefined) return 'MD5';
  if (value === 'MD5' || value === 'HMAC-SHA256') return value;
  throw invalidArgument(name, "expected 'MD5' or 'HMAC-SHA256'");
}

function secretOf(value: unknown): string {
  if (typeof value !== 'string') throw new InvalidOptionError(`secret: expected the APIv2 key as a string, got ${typeOf(value)}`);
  if (value.length !== SECRET_LENGTH) throw new InvalidOptionError(`secret: the APIv2 key has ${SECRET_LENGTH} characters, got ${value.length}`);
  return value;
}

/** Each APIv3 signed message is lines, each ending in `\n`. */
function lines(...parts: string[]): string {
  return parts.map((part) => `${part}\n`).join('');
}

const JSAPI_FIELDS = ['appId', 'prepayId', 'timeStamp', 'nonceStr'] as const;
const JSAPI_V2_FIELDS = [...JSAPI_FIELDS, 'signType'] as const;
const APP_FIELDS = ['appid', 'partnerid', 'prepayid', 'timestamp', 'noncestr'] as const;

/** The checked fields of a JSAPI order, in the order the result lists them, timeStamp and nonceStr filled in. */
function readJsapi(input: unknown, name: string, scheme: Scheme): Pick<JsapiParams, 'appId' | 'timeStamp' | 'nonceStr' | 'package'> {
  const fields = fieldsOf(input, name, scheme === 'v2' ? JSAPI_V2_FIELDS : JSAPI_FIELDS);
  const appId = idOf(fields.appId, `${name}: appId`, scheme);
  const prepayId = prepayIdOf(fields.prepayId, `${name}: prepayId`, scheme);
  const timeStamp = timestampOf(fields.timeStamp, `${name}: timeStamp`);
  const nonceStr = nonceOf(fields.nonceStr, `${name}: nonceStr`, scheme);
  return { appId, timeStamp, nonceStr, package: PREPAY_PREFIX + prepayId };
}

/** The checked fields of an APP order, in the order the result lists them, timestamp and noncestr filled in. */
function readApp(input: unknown, name: string, scheme: Scheme): Omit<AppParams, 'sign'> {
  const fields = fieldsOf(input, name, APP_FIELDS);
  const appid = idOf(fields.appid, `${name}: appid`, scheme);
  const partnerid = partnerIdOf(fields.partnerid, `${name}: partnerid`, scheme);
  const prepayid = prepayIdOf(fields.prepayid, `${name}: prepayid`, scheme);
  const timestamp = timestampOf(fields.timestamp, `${name}: timestamp`);
  const noncestr = nonceOf(fields.noncestr, `${name}: noncestr`, scheme);
  return { appid, partnerid, prepayid, package: 'Sign=WXPay', noncestr, timestamp };
}

/**
 * Signs the parameters the front end needs to open WeChat Pay's payment sheet for an order the
 * server has already placed. The server holds the keys, so the signing happens here and the page
 * or app only receives the result; keys are loaded once, when it is constructed.
 *
 * - `jsapi` serves both `wx.requestPayment` in a mini program and
 *   `WeixinJSBridge.invoke('getBrandWCPayRequest', …)` in WeChat's browser: the two take the same
 *   fields and the same signature (`miniProgram` is the same builder under the other name).
 * - `app` serves the OpenSDK in a mobile application.
 * - `jsapiV2` and `appV2` are for orders placed through APIv2 `unifiedorder`, signed with the APIv2 key.
 *
 * Every failure is an `OptionError`: a missing key or secret with `INVALID_OPTION`, a bad argument
 * with `INVALID_ARGUMENT`, each message naming the option or argument and never its value.
 *
 * @example
 * const payment = new PaymentParams({ privateKey: 'file:///etc/wechatpay/apiclient_key.pem' });
 * const { data } = await wxpay.v3.pay.transactions.jsapi.post({ json: order });
 * const params = payment.jsapi({ appId: order.appid, prepayId: data.prepay_id });
 * // → { appId, timeStamp, nonceStr, package: 'prepay_id=…', signType: 'RSA', paySign }
 */
export class PaymentParams {
  // Private fields: neither util.inspect nor JSON.stringify shows them, so the secret cannot leak into a log.
  readonly #privateKey?: KeyObject;
  readonly #secret?: string;

  /**
   * Loads the private key and checks the secret once; give at least one of them.
   *
   * @example
   * const payment = new PaymentParams({ privateKey: process.env.WECHATPAY_PRIVATE_KEY, secret: process.env.WECHATPAY_V2_KEY });
   */
  constructor(options: PaymentParamsOptions) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new InvalidOptionError(`PaymentParams: expected options { privateKey?, secret }, got ${typeOf(options)}`);
    }
    for (const key of Object.keys(options)) {
      if (key === 'signer') {
        throw new InvalidOptionError('PaymentParams: signer: not supported; paySign is signed with privateKey here. With a key held elsewhere, sign `${appId}\\n${timeStamp}\\n${nonceStr}\\n${package}\\n` with it and build the parameters yourself');
      }
      if (key !== 'privateKey' && key !== 'secret') throw new InvalidOptionError(`PaymentParams: unknown option ${JSON.stringify(key.slice(0, 64))}; it takes privateKey and secret`);
    }
    const { privateKey, secret } = options as Record<string, unknown>;
    if (privateKey === undefined && secret === undefined) {
      throw new InvalidOptionError('PaymentParams: give privateKey (for jsapi and app), secret (for jsapiV2 and appV2), or both');
    }
    if (privateKey !== undefined) this.#privateKey = loadPrivateKey(privateKey, 'privateKey');
    if (secret !== undefined) this.#secret = secretOf(secret);
  }

  /**
   * The APIv3 parameters of `wx.requestPayment` (mini program) and `getBrandWCPayRequest` (JSAPI).
   *
   * @example
   * const params = payment.jsapi({ appId: 'wxd678efh567hg6787', prepayId: data.prepay_id });
   * // mini program: wx.requestPayment({ ...params, success, fail })
   * // JSAPI page:   WeixinJSBridge.invoke('getBrandWCPayRequest', params, callback)
   */
  jsapi(input: JsapiInput): JsapiParams {
    return this.#jsapi(input, 'PaymentParams.jsapi');
  }

  /**
   * The same builder as {@link PaymentParams.jsapi}, for readers who look for it under this name.
   *
   * @example
   * wx.requestPayment({ ...payment.miniProgram({ appId, prepayId }), success, fail });
   */
  miniProgram(input: JsapiInput): JsapiParams {
    return this.#jsapi(input, 'PaymentParams.miniProgram');
  }

  /**
   * The APIv3 parameters of an APP payment, for the WeChat OpenSDK's `PayReq`.
   *
   * @example
   * const params = payment.app({ appid: 'wxd678efh567hg6787', partnerid: '1900000109', prepayid: data.prepay_id });
   */
  app(input: AppInput): AppParams {
    const name = 'PaymentParams.app';
    const key = this.#requirePrivateKey(name);
    const fields = readApp(input, name, 'v3');
    return { ...fields, sign: Rsa.sign(lines(fields.appid, fields.timestamp, fields.noncestr, fields.prepayid), key) };
  }

  /**
   * The APIv2 parameters of `wx.requestPayment` and `getBrandWCPayRequest`: `paySign` is upper-case
   * hex MD5 (or HMAC-SHA256 under the secret) over the sorted fields and `&key=` the secret.
   *
   * @example
   * const params = payment.jsapiV2({ appId: 'wxd678efh567hg6787', prepayId: result.prepay_id, signType: 'HMAC-SHA256' });
   */
  jsapiV2(input: JsapiV2Input): JsapiV2Params {
    const name = 'PaymentParams.jsapiV2';
    const secret = this.#requireSecret(name);
    const fields = readJsapi(input, name, 'v2');
    // readJsapi has checked that input is an object with no field but these.
    const signType = signTypeOf(input.signType, `${name}: signType`);
    const signed = { ...fields, signType };
    return { ...signed, paySign: signV2(signed, secret, signType) };
  }

  /**
   * The APIv2 parameters of an APP payment. `sign` is always MD5: `PayReq` has no field to name
   * another digest, so the WeChat app checks MD5 whatever `sign_type` the order used.
   *
   * @example
   * const params = payment.appV2({ appid: 'wxd678efh567hg6787', partnerid: '1900000109', prepayid: result.prepay_id });
   */
  appV2(input: AppV2Input): AppV2Params {
    const name = 'PaymentParams.appV2';
    const secret = this.#requireSecret(name);
    const fields = readApp(input, name, 'v2');
    return { ...fields, sign: signV2(fields, secret, 'MD5') };
  }

  #jsapi(input: JsapiInput, name: string): JsapiParams {
    const key = this.#requirePrivateKey(name);
    const fields = readJsapi(input, name, 'v3');
    const paySign = Rsa.sign(lines(fields.appId, fields.timeStamp, fields.nonceStr, fields.package), key);
    return { ...fields, signType: 'RSA', paySign };
  }

  #requirePrivateKey(name: string): KeyObject {
    if (this.#privateKey === undefined) throw new InvalidOptionError(`${name}: needs the privateKey option (the merchant API private key); construct PaymentParams with { privateKey }`);
    return this.#privateKey;
  }

  #requireSecret(name: string): string {
    if (this.#secret === undefined) throw new InvalidOptionError(`${name}: needs the secret option (the 32-character APIv2 key); construct PaymentParams with { secret }`);
    return this.#secret;
  }
}
