import type { CombineProduct } from './combine-ledger';
import { checkFields, fieldAt, fieldError, type FieldRule } from './field-rules';
import { NOTIFY_URL, OUT_TRADE_NO, RFC3339 } from './order-rules';
import type { SandboxReply } from './routes';

/** `combine_out_trade_no`: 2 to 32 of digits, letters and `_-|*@` (the docs differ on `@` and on the least length; the sandbox takes the wider). */
const COMBINE_OUT_TRADE_NO = /^[0-9A-Za-z_\-|*@]{2,32}$/;

/** The most sub-orders one combined order has (合单最多50笔). */
const MAX_SUB_ORDERS = 50;

/** The combined order's own fields, whatever the product. */
const COMBINED: readonly FieldRule[] = [
  { path: 'combine_appid', type: 'string', required: true, max: 32 },
  { path: 'combine_mchid', type: 'string', required: true, max: 32 },
  { path: 'combine_out_trade_no', type: 'string', required: true, pattern: COMBINE_OUT_TRADE_NO },
  { path: 'scene_info', type: 'object' },
  { path: 'combine_payer_info', type: 'object' },
  { path: 'combine_payer_info.openid', type: 'string', max: 128 },
  { path: 'combine_payer_info.sub_openid', type: 'string', max: 128 },
  { path: 'time_start', type: 'string', pattern: RFC3339 },
  { path: 'time_expire', type: 'string', pattern: RFC3339 },
  { path: 'notify_url', type: 'string', max: 256, pattern: NOTIFY_URL },
];

/** What each product requires besides: the payer of a JSAPI or mini program order, the scene of an H5 one, and a notify_url but from a mini program. */
function productRules(product: CombineProduct): FieldRule[] {
  const notify: FieldRule[] = product === 'miniprogram' ? [] : [{ path: 'notify_url', type: 'string', required: true }];
  if (product === 'jsapi' || product === 'miniprogram') {
    return [...notify, { path: 'combine_payer_info', type: 'object', required: true }, { path: 'combine_payer_info.openid', type: 'string', required: true }];
  }
  if (product === 'h5') {
    return [
      ...notify,
      { path: 'scene_info', type: 'object', required: true },
      { path: 'scene_info.device_id', type: 'string', required: true, max: 32 },
      { path: 'scene_info.h5_info', type: 'object', required: true },
      { path: 'scene_info.h5_info.type', type: 'string', required: true, max: 32 },
    ];
  }
  return notify;
}

/** A sub-order's fields; a mini program's names the personal payee (个人收款方) instead of a sub-merchant. */
function subOrderRules(product: CombineProduct): FieldRule[] {
  const payee: FieldRule[] =
    product === 'miniprogram'
      ? [
          { path: 'individual_auth_id', type: 'string', required: true, max: 64 },
          { path: 'individual_name', type: 'string', max: 64 },
        ]
      : [
          { path: 'sub_mchid', type: 'string', max: 32 },
          { path: 'sub_appid', type: 'string', max: 32 },
          { path: 'detail', type: 'string', max: 6000 },
          { path: 'goods_tag', type: 'string', max: 32 },
          { path: 'settle_info', type: 'object' },
          { path: 'settle_info.profit_sharing', type: 'boolean' },
          { path: 'settle_info.subsidy_amount', type: 'integer', min: 0 },
        ];
  return [
    { path: 'mchid', type: 'string', required: true, max: 32 },
    { path: 'attach', type: 'string', required: true, max: 128 },
    { path: 'amount', type: 'object', required: true },
    { path: 'amount.total_amount', type: 'integer', required: true, min: 1 },
    { path: 'amount.currency', type: 'string', required: true, pattern: /^CNY$/ },
    { path: 'out_trade_no', type: 'string', required: true, pattern: OUT_TRADE_NO },
    { path: 'description', type: 'string', required: true, max: 127 },
    ...payee,
  ];
}

/** The sub-orders as a close call names them. */
const NAMED_SUB_ORDER: readonly FieldRule[] = [
  { path: 'mchid', type: 'string', required: true, max: 32 },
  { path: 'out_trade_no', type: 'string', required: true, pattern: OUT_TRADE_NO },
  { path: 'sub_mchid', type: 'string', max: 32 },
  { path: 'sub_appid', type: 'string', max: 32 },
  { path: 'individual_auth_id', type: 'string', max: 64 },
];

/** A sub-order of a checked body. */
interface CheckedSubOrder {
  mchid: string;
  out_trade_no: string;
  sub_mchid?: string;
}

/**
 * Checks the body of a combined order call (`POST /v3/combine-transactions/{product}`) as the
 * gateway does: a 400 `PARAM_ERROR` naming the first field missing or malformed, or undefined.
 * The combined order and each sub-order must be of the merchant that signed the request
 * (`mchid`), the one merchant the sandbox knows, and no two sub-orders of the same number.
 */
export function checkCombinedOrder(body: unknown, product: CombineProduct, mchid: string): SandboxReply | undefined {
  const sceneRules: FieldRule[] = fieldAt(body, 'scene_info') === undefined ? [] : [{ path: 'scene_info.payer_client_ip', type: 'string', required: true, max: 45 }];
  const failure = checkFields(body, [...COMBINED, ...productRules(product), ...sceneRules, { path: 'sub_orders', type: 'array', required: true, min: 1, max: MAX_SUB_ORDERS, items: subOrderRules(product) }]);
  if (failure) return failure;
  if (fieldAt(body, 'combine_mchid') !== mchid) return fieldError('combine_mchid', `is not the merchant that signed the request (${mchid})`);
  const subOrders = fieldAt(body, 'sub_orders') as CheckedSubOrder[];
  const numbers = new Set<string>();
  for (const [index, sub] of subOrders.entries()) {
    if (sub.mchid !== mchid) return fieldError(`sub_orders.${index}.mchid`, `is not the merchant that signed the request (${mchid})`);
    const number = `${sub.sub_mchid ?? ''}\n${sub.out_trade_no}`;
    if (numbers.has(number)) return fieldError(`sub_orders.${index}.out_trade_no`, 'is the number of another sub-order');
    numbers.add(number);
  }
  return undefined;
}

/** Checks the body of a combined order's close call: `combine_appid` and the sub-orders, as {@link checkCombinedOrder} checks fields. */
export function checkCombinedClose(body: unknown): SandboxReply | undefined {
  return checkFields(body, [
    { path: 'combine_appid', type: 'string', required: true, max: 32 },
    { path: 'sub_orders', type: 'array', required: true, min: 1, max: MAX_SUB_ORDERS, items: NAMED_SUB_ORDER },
  ]);
}
