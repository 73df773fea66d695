import { checkFields, fieldAt, fieldError, type FieldRule } from './field-rules';
import type { SandboxReply } from './routes';
import type { OrderProduct } from './trade-ledger';

/** `out_trade_no`: 6 to 32 of digits, letters and `_-|*`. */
export const OUT_TRADE_NO = /^[0-9A-Za-z_\-|*]{6,32}$/;
/** An absolute http(s) URL. The gateway wants https; the sandbox takes http too, for loopback servers. */
export const NOTIFY_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/;
/** RFC 3339 with an explicit offset: `2018-06-08T10:34:56+08:00`. */
export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/** The fields every order has, whoever places it. */
const ORDER: readonly FieldRule[] = [
  { path: 'description', type: 'string', required: true, max: 127 },
  { path: 'out_trade_no', type: 'string', required: true, pattern: OUT_TRADE_NO },
  { path: 'time_expire', type: 'string', pattern: RFC3339 },
  { path: 'attach', type: 'string', max: 128 },
  { path: 'notify_url', type: 'string', required: true, max: 255, pattern: NOTIFY_URL },
  { path: 'goods_tag', type: 'string', max: 32 },
  { path: 'support_fapiao', type: 'boolean' },
  { path: 'amount', type: 'object', required: true },
  { path: 'amount.total', type: 'integer', required: true, min: 1 },
  { path: 'amount.currency', type: 'string', pattern: /^CNY$/ },
];

/** A direct merchant's own ids. */
const DIRECT: readonly FieldRule[] = [
  { path: 'appid', type: 'string', required: true, max: 32 },
  { path: 'mchid', type: 'string', required: true, max: 32 },
];

/** A service provider's ids and its sub-merchant's. */
const PARTNER: readonly FieldRule[] = [
  { path: 'sp_appid', type: 'string', required: true, max: 32 },
  { path: 'sp_mchid', type: 'string', required: true, max: 32 },
  { path: 'sub_appid', type: 'string', max: 32 },
  { path: 'sub_mchid', type: 'string', required: true, max: 32 },
];

/** What each product adds: the payer of a JSAPI order, the scene of an H5 one. */
function productRules(product: OrderProduct, partner: boolean): FieldRule[] {
  if (product === 'jsapi') {
    return partner
      ? [
          { path: 'payer', type: 'object', required: true },
          { path: 'payer.sp_openid', type: 'string', max: 128 },
          { path: 'payer.sub_openid', type: 'string', max: 128 },
        ]
      : [
          { path: 'payer', type: 'object', required: true },
          { path: 'payer.openid', type: 'string', required: true, max: 128 },
        ];
  }
  if (product === 'h5') {
    return [
      { path: 'scene_info', type: 'object', required: true },
      { path: 'scene_info.payer_client_ip', type: 'string', required: true, max: 45 },
      { path: 'scene_info.h5_info', type: 'object', required: true },
      { path: 'scene_info.h5_info.type', type: 'string', required: true, max: 32 },
    ];
  }
  return [];
}

/**
 * Checks the body of an order call (`POST /v3/pay/transactions/{product}`, or the partner one) as
 * the gateway does: a 400 `PARAM_ERROR` naming the first field missing or malformed, or undefined.
 * The merchant ids must also be the merchant's who signed the request (`mchid`, or `sp_mchid`).
 */
export function checkOrder(body: unknown, product: OrderProduct, partner: boolean, mchid: string): SandboxReply | undefined {
  const failure = checkFields(body, [...(partner ? PARTNER : DIRECT), ...ORDER, ...productRules(product, partner)]);
  if (failure) return failure;
  const merchantField = partner ? 'sp_mchid' : 'mchid';
  if (fieldAt(body, merchantField) !== mchid) return fieldError(merchantField, `is not the merchant that signed the request (${mchid})`);
  if (product === 'jsapi' && partner) {
    const [spOpenid, subOpenid] = [fieldAt(body, 'payer.sp_openid'), fieldAt(body, 'payer.sub_openid')];
    if (spOpenid === undefined && subOpenid === undefined) return fieldError('payer.sp_openid', 'or payer.sub_openid is required');
    if (subOpenid !== undefined && fieldAt(body, 'sub_appid') === undefined) return fieldError('sub_appid', 'is required with payer.sub_openid');
  }
  return undefined;
}
