import { verify, type KeyObject } from 'node:crypto';
import { ErrorCode, WechatpayError, type VerificationCode } from '../errors';
import { Formatter } from '../formatter';
import { isPublicKeyId, type Validity } from '../platform-keys';

/** How far a signed message's timestamp may be from local time, in seconds. */
export const CLOCK_WINDOW_SECONDS = 300;

/** Prefix of the signature the gateway sends to probe that clients really verify. */
export const SIGNATURE_PROBE_PREFIX = 'WECHATPAY/SIGNTEST/';

/** The four headers that carry the platform's signature, lower-case. */
export const SIGNATURE_HEADERS = ['wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature', 'wechatpay-serial'] as const;

/** What the checks need besides the message: the keys, the clock, and how to report a failure. */
export interface SignatureCheck {
  /** Upper-case key id to public key. */
  keys: ReadonlyMap<string, KeyObject>;
  /** The validity period of a key id, when the key is a certificate. */
  validity?: (id: string) => Validity | undefined;
  /** Unix seconds now. */
  nowSeconds: number;
  /** Builds the error to throw; the caller decides its class and context. */
  fail(message: string, code: VerificationCode): Error;
}

/**
 * Throws `INCOMPLETE_HEADERS` (built by `fail`) when any of the four signature headers is missing,
 * naming them: a message that cannot be verified, judged before its body is read.
 */
export function requireSignatureHeaders(header: (name: string) => string | undefined, fail: SignatureCheck['fail']): void {
  const missing = SIGNATURE_HEADERS.filter((name) => header(name) === undefined);
  if (missing.length > 0) {
    throw fail(`the header${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing; the message cannot be verified`, ErrorCode.INCOMPLETE_HEADERS);
  }
}

/**
 * Whether `error`, from {@link checkPlatformSignature} on a message whose `Wechatpay-Serial` is
 * `serial`, is one a certificate download may cure: the serial names a platform certificate the
 * keys lack. A public key the keys lack is never downloaded.
 */
export function curedByDownload(error: unknown, serial: string | undefined): boolean {
  return error instanceof WechatpayError && error.code === ErrorCode.UNKNOWN_SERIAL && !isPublicKeyId(serial ?? '');
}

/**
 * Checks a message the platform signed (a response or a notification): the four headers, the
 * probe marker, the 300 s window, the serial, the signing certificate's validity, and the RSA-SHA256 signature over
 * `TIMESTAMP\nNONCE\nBODY\n` of the raw bytes. `header` reads a header by its lower-case name.
 */
export function checkPlatformSignature(header: (name: string) => string | undefined, body: Buffer, check: SignatureCheck): void {
  requireSignatureHeaders(header, (message, code) => check.fail(message, code));
  const [timestamp, nonce, signature, serial] = SIGNATURE_HEADERS.map((name) => header(name) as string);
  if (signature.startsWith(SIGNATURE_PROBE_PREFIX)) {
    throw check.fail('the gateway sent a signature probe (Wechatpay-Signature starts with WECHATPAY/SIGNTEST/); the message is not genuine', ErrorCode.SIGNATURE_PROBE);
  }
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  const skew = Math.abs(check.nowSeconds - seconds);
  if (!(skew <= CLOCK_WINDOW_SECONDS)) {
    const what = Number.isNaN(skew) ? 'is not a Unix time' : `is ${skew} s from local time`;
    throw check.fail(`Wechatpay-Timestamp ${timestamp.slice(0, 20)} ${what} (window ${CLOCK_WINDOW_SECONDS} s)`, ErrorCode.CLOCK_SKEW);
  }
  if (/[\r\n]/.test(nonce)) throw check.fail('Wechatpay-Nonce has a line break, which would shift the signed lines', ErrorCode.BAD_SIGNATURE);
  // Strict base64: a lenient decoder would let differently spelled headers pass as the same signature.
  if (signature.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) {
    throw check.fail('Wechatpay-Signature is not canonical base64', ErrorCode.BAD_SIGNATURE);
  }
  const key = check.keys.get(serial.toUpperCase());
  if (!key) {
    const missing = isPublicKeyId(serial)
      ? `Wechatpay-Serial ${serial.slice(0, 64)} names a WeChat Pay public key that is not in certs; public keys are not downloaded: add it to certs (商户平台 → API安全 → 微信支付公钥)`
      : `Wechatpay-Serial ${serial.slice(0, 64)} names no key in certs`;
    throw check.fail(missing, ErrorCode.UNKNOWN_SERIAL);
  }
  const { validFrom, validTo } = check.validity?.(serial) ?? {};
  const nowMs = check.nowSeconds * 1000;
  if (validTo && nowMs > validTo.getTime()) {
    throw check.fail(`the platform certificate ${serial.slice(0, 64)} expired on ${validTo.toISOString()}; it verifies nothing after that`, ErrorCode.CERTIFICATE_EXPIRED);
  }
  if (validFrom && nowMs < validFrom.getTime()) {
    throw check.fail(`the platform certificate ${serial.slice(0, 64)} is not valid before ${validFrom.toISOString()}`, ErrorCode.CERTIFICATE_EXPIRED);
  }
  if (!verify('sha256', Formatter.response(timestamp, nonce, body) as Buffer, key, Buffer.from(signature, 'base64'))) {
    throw check.fail('Wechatpay-Signature does not match the message', ErrorCode.BAD_SIGNATURE);
  }
}
