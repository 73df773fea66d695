import { AesEcb } from '../crypto/aes-ecb';
import { invalidArgument } from '../crypto/arguments';
import { Hash } from '../crypto/hash';
import { BadSignatureError, DecryptionFailedError } from '../errors';
import { checkV2Secret, verifyV2 } from './signature';
import { Transformer } from './transformer';

/** Options of {@link verifyV2Notification}. */
export interface V2NotificationOptions {
  /** The 32-character APIv2 key: it checks `sign`, and its MD5 decrypts a refund's `req_info`. */
  secret: string;
}

/** A verified APIv2 notification: its fields as strings, and a refund's `req_info` as the decrypted fields. */
export type V2Notification = Record<string, string | Record<string, string>>;

/**
 * A refund's `req_info`: AES-256-ECB under the lower-case hex MD5 of the APIv2 key, holding
 * `<root>…</root>`. Any failure is a DecryptionError: with ECB, a wrong key passes the padding
 * check about once in 256 tries, and then the garbage is caught by the XML check instead.
 */
function decryptReqInfo(reqInfo: string, secret: string): Record<string, string> {
  let plaintext: string;
  try {
    plaintext = AesEcb.decrypt(reqInfo, Hash.md5(secret));
  } catch (cause) {
    throw new DecryptionFailedError('verifyV2Notification: req_info does not decrypt with this APIv2 key', { cause });
  }
  try {
    return Transformer.toObject(plaintext);
  } catch (cause) {
    throw new DecryptionFailedError('verifyV2Notification: req_info decrypted to something that is not flat XML (is the APIv2 key right?)', {
      cause,
    });
  }
}

/**
 * Verifies an APIv2 notification (a payment result, a refund result, …) from the raw request
 * body, and returns its fields. Pass the body exactly as received.
 *
 * - A notification with a `sign` field must match it (MD5 or HMAC-SHA256, see {@link verifyV2}).
 * - A refund notification carries no `sign`; its `req_info` is decrypted instead, and comes back
 *   as an object of the refund's fields. Only `req_info` is protected: the outer `appid`,
 *   `mch_id`, … of a refund notification are not signed, so trust the decrypted fields.
 * - A notification with neither is refused: nothing in it could be trusted (WeChat Pay sends
 *   `return_code=FAIL` notifications without a sign, and they carry no business data).
 *
 * @throws VerificationError (BAD_SIGNATURE) when `sign` does not match, or when there is neither
 * `sign` nor `req_info`; the message says which.
 * @throws DecryptionError (DECRYPTION_FAILED) when `req_info` does not decrypt under the key.
 * @throws WechatpayError (MALFORMED_BODY) when the body is not flat APIv2 XML.
 * @throws OptionError (INVALID_ARGUMENT) when `options.secret` is not a 32-character string.
 *
 * @example
 * const fields = verifyV2Notification(rawBody, { secret: process.env.WECHATPAY_V2_KEY! });
 * if (fields.result_code === 'SUCCESS') markPaid(fields.out_trade_no as string);
 * response.end(v2NotificationAnswer(true));
 */
export function verifyV2Notification(body: string | Buffer, options: V2NotificationOptions): V2Notification {
  if (typeof options !== 'object' || options === null) throw invalidArgument('verifyV2Notification: options', 'expected an object with the APIv2 `secret`');
  const secret = checkV2Secret(options.secret, 'verifyV2Notification: options.secret');
  const fields = Transformer.toObject(body);
  const signed = Object.hasOwn(fields, 'sign');
  const encrypted = Object.hasOwn(fields, 'req_info');
  if (signed && !verifyV2(fields, secret)) {
    throw new BadSignatureError('verifyV2Notification: the sign field does not match the notification (altered, or signed with another key)');
  }
  if (!signed && !encrypted) {
    throw new BadSignatureError('verifyV2Notification: the notification has no sign field (and no req_info to decrypt), so nothing in it can be trusted');
  }
  if (!encrypted) return fields;
  return { ...fields, req_info: decryptReqInfo(fields.req_info, secret) };
}

/**
 * The XML a notification handler answers with: `SUCCESS` / `OK` stops WeChat Pay from sending
 * the notification again; `FAIL` (or no answer) makes it retry later. Values go in CDATA, as
 * WeChat Pay's documentation shows them.
 *
 * @param ok whether the notification was verified and handled.
 * @param message the `return_msg`; `OK` for success and `FAIL` otherwise when not given. It goes
 * to WeChat Pay, so keep internal details out of it.
 *
 * @example
 * v2NotificationAnswer(true);  // '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>'
 * v2NotificationAnswer(false, 'bad signature');
 */
export function v2NotificationAnswer(ok: boolean, message?: string): string {
  if (typeof ok !== 'boolean') throw invalidArgument('v2NotificationAnswer: ok', `expected a boolean, got ${ok === null ? 'null' : typeof ok}`);
  if (message !== undefined && typeof message !== 'string') throw invalidArgument('v2NotificationAnswer: message', `expected a string, got ${message === null ? 'null' : typeof message}`);
  return Transformer.toXml({ return_code: ok ? 'SUCCESS' : 'FAIL', return_msg: message ?? (ok ? 'OK' : 'FAIL') }, { alwaysCdata: true });
}
