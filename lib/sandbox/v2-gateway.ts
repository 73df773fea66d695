import { Hash } from '../crypto/hash';
import { Formatter } from '../formatter';
import { signV2, type V2SignType } from '../v2/signature';
import { Transformer } from '../v2/transformer';
import type { Fault } from './faults';
import { unsignedXml, V2_XML_TYPE, type V2RawReply } from './v2-routes';

/** The merchant as the APIv2 gateway knows it: its id and its 32-character APIv2 key. */
export interface V2Merchant {
  mchid: string;
  secret: string;
}

/** A request that passed the gateway's checks: its fields and the algorithm its answer is signed with. */
export interface CheckedV2Request {
  fields: Record<string, string>;
  signType: V2SignType;
}

/** An unsigned `return_code` FAIL answer: how the gateway refuses a request it cannot serve. */
export function v2Failure(message: string, status = 200): V2RawReply {
  return unsignedXml({ return_code: 'FAIL', return_msg: message }, status);
}

/**
 * The fields that name the merchant: `mch_id`, or `mchid` (transfers to a wallet, settlement
 * queries), or `combine_mch_id` (combined orders).
 */
const MERCHANT_FIELDS = ['mch_id', 'mchid', 'combine_mch_id'];

/**
 * Checks an APIv2 request as the gateway does, in its order: the body is APIv2 XML, the merchant
 * field (`mch_id`, or the other name its endpoint uses) names the merchant (its key is needed
 * next), `sign_type` is one the gateway knows (absent means MD5; the sign's length never decides,
 * unlike on the client side), and `sign` matches. Returns the fields and sign type, or the
 * unsigned FAIL answer the gateway gives.
 */
export function checkV2Request(body: Buffer, merchant: V2Merchant): CheckedV2Request | V2RawReply {
  let fields: Record<string, string>;
  try {
    fields = Transformer.toObject(body);
  } catch {
    return v2Failure('XML格式错误');
  }
  const merchantField = MERCHANT_FIELDS.find((name) => fields[name] !== undefined && fields[name] !== '');
  if (merchantField === undefined) return v2Failure('缺少参数mch_id');
  if (fields[merchantField] !== merchant.mchid) return v2Failure(`${merchantField}参数错误: 商户号${fields[merchantField]}不存在`);
  const declared = fields.sign_type ?? '';
  if (declared !== '' && declared !== 'MD5' && declared !== 'HMAC-SHA256') return v2Failure('sign_type参数错误');
  const signType: V2SignType = declared === 'HMAC-SHA256' ? 'HMAC-SHA256' : 'MD5';
  const sign = fields.sign ?? '';
  if (sign === '' || !Hash.equals(signV2(fields, merchant.secret, signType), sign)) return v2Failure('签名错误');
  return { fields, signType };
}

/** The field a `tampered-body` fault changes: the amount, the thing a forger wants, when there is one. */
function tamperedField(fields: Record<string, string>): string {
  return fields.total_fee !== undefined ? 'total_fee' : 'nonce_str';
}

/**
 * A signed APIv2 answer: `return_code` SUCCESS and `return_msg` OK unless given, a fresh
 * `nonce_str`, then `sign` last under `signType`. A FAIL `return_code` stays unsigned, as on the
 * gateway. `fault` spoils it after signing (`tampered-body`, `v2-bad-sign`).
 */
export function signedV2Answer(reply: Record<string, string>, merchant: V2Merchant, signType: V2SignType, fault?: Fault): V2RawReply {
  const fields: Record<string, string> = { return_code: 'SUCCESS', return_msg: 'OK', ...reply };
  if (fields.return_code !== 'SUCCESS') return unsignedXml(fields);
  fields.nonce_str = Formatter.nonce(32);
  delete fields.sign; // `sign` goes last, as in the gateway's answers
  fields.sign = signV2(fields, merchant.secret, signType);
  if (fault?.type === 'tampered-body') {
    const name = tamperedField(fields);
    fields[name] = `${fields[name]}0`;
  }
  if (fault?.type === 'v2-bad-sign') {
    // The same length and alphabet, so only a client that recomputes the sign can tell.
    fields.sign = [...fields.sign].map((digit) => (digit === '0' ? '1' : '0')).join('');
  }
  return { raw: Buffer.from(Transformer.toXml(fields, { alwaysCdata: true })), contentType: V2_XML_TYPE };
}

/** Replaces an answer as the answer-wide APIv2 faults say (`v2-xml`, `error`); other faults leave it. */
export function replaceV2Answer(answer: V2RawReply, fault: Fault | undefined): V2RawReply {
  if (fault?.type === 'v2-xml') return { raw: Buffer.from(fault.xml), contentType: V2_XML_TYPE, status: fault.status ?? 200 };
  if (fault?.type === 'error') return v2Failure(fault.message ?? 'injected error', fault.status);
  return answer;
}
