import type { Endpoints } from '@wechatpay-ts/openapi-types/endpoints';
import type { DirectRefundResource, DirectTransactionResource, PartnerRefundResource, PartnerTransactionResource } from '../v3/notification-resources';
import { chinaTime } from './china-time';
import { TRADE_TYPES, type SandboxOrder, type SandboxRefund } from './trade-ledger';

/**
 * A direct merchant's order, as both query calls answer it (the catalogue's types of each).
 *
 * @inline
 */
export type DirectTransaction = Endpoints['v3/pay/transactions/id/{transaction_id}']['get']['data'] & Endpoints['v3/pay/transactions/out-trade-no/{out_trade_no}']['get']['data'];

/**
 * A service provider's order, as both partner query calls answer it.
 *
 * @inline
 */
export type PartnerTransaction = Endpoints['v3/pay/partner/transactions/id/{transaction_id}']['get']['data'] & Endpoints['v3/pay/partner/transactions/out-trade-no/{out_trade_no}']['get']['data'];

/** An order as the sandbox reports it: what the query calls answer. */
export type SandboxTransaction = DirectTransaction | PartnerTransaction;

/** A refund as the refund calls answer it. */
export type RefundAnswer = Endpoints['v3/refund/domestic/refunds']['post']['data'];

/** The fields every view of a paid order shares. */
function paidFields(order: SandboxOrder) {
  return order.transaction_id === undefined || order.success_time === undefined
    ? {}
    : { transaction_id: order.transaction_id, success_time: chinaTime(order.success_time), bank_type: order.bank_type };
}

/** The fields both query answers share, whoever placed the order. */
function commonFields(order: SandboxOrder) {
  const paid = order.success_time !== undefined;
  return {
    out_trade_no: order.out_trade_no,
    trade_type: TRADE_TYPES[order.product],
    trade_state: order.trade_state,
    trade_state_desc: order.trade_state_desc,
    description: order.description,
    notify_url: order.notify_url,
    ...(order.attach !== undefined ? { attach: order.attach } : {}),
    ...(order.time_expire !== undefined ? { time_expire: order.time_expire } : {}),
    ...(order.goods_tag !== undefined ? { goods_tag: order.goods_tag } : {}),
    // The catalogue has payer_total in every answer; before payment the payer has paid nothing.
    amount: { total: order.amount.total, currency: order.amount.currency, payer_total: paid ? order.amount.total : 0, payer_currency: order.amount.currency },
    ...paidFields(order),
  };
}

/** An order as the query calls answer it, direct or partner as it was placed. */
export function transactionAnswer(order: SandboxOrder): SandboxTransaction {
  const { merchant, payer } = order;
  if ('mchid' in merchant) {
    const answer: DirectTransaction = { appid: merchant.appid, mchid: merchant.mchid, ...commonFields(order) };
    if (payer?.openid !== undefined) answer.payer = { openid: payer.openid };
    return answer;
  }
  const answer: PartnerTransaction = { ...merchant, ...commonFields(order) };
  if (payer?.sp_openid !== undefined) answer.payer = { sp_openid: payer.sp_openid, ...(payer.sub_openid !== undefined ? { sub_openid: payer.sub_openid } : {}) };
  return answer;
}

/** A paid order as its `TRANSACTION.SUCCESS` notification carries it. */
export function transactionResource(order: SandboxOrder): DirectTransactionResource | PartnerTransactionResource {
  const { merchant, payer, transaction_id, success_time } = order;
  if (transaction_id === undefined || success_time === undefined) throw new RangeError(`transactionResource: order ${order.out_trade_no} is not paid`);
  const fields = {
    out_trade_no: order.out_trade_no,
    transaction_id,
    trade_type: TRADE_TYPES[order.product],
    trade_state: order.trade_state,
    trade_state_desc: order.trade_state_desc,
    bank_type: order.bank_type ?? 'OTHERS',
    ...(order.attach !== undefined ? { attach: order.attach } : {}),
    success_time: chinaTime(success_time),
    amount: { total: order.amount.total, payer_total: order.amount.total, currency: order.amount.currency, payer_currency: order.amount.currency },
  };
  if ('mchid' in merchant) return { appid: merchant.appid, mchid: merchant.mchid, ...fields, payer: { openid: payer?.openid ?? '' } };
  return { ...merchant, ...fields, payer: { sp_openid: payer?.sp_openid ?? '', ...(payer?.sub_openid !== undefined ? { sub_openid: payer.sub_openid } : {}) } };
}

/** A refund as the refund calls answer it. */
export function refundAnswer(refund: SandboxRefund): RefundAnswer {
  const { order, amount } = refund;
  return {
    refund_id: refund.refund_id,
    out_refund_no: refund.out_refund_no,
    transaction_id: order.transaction_id,
    out_trade_no: order.out_trade_no,
    channel: 'ORIGINAL',
    user_received_account: refund.user_received_account,
    ...(refund.success_time !== undefined ? { success_time: chinaTime(refund.success_time) } : {}),
    create_time: chinaTime(refund.created_at),
    status: refund.status,
    funds_account: refund.funds_account,
    // No coupons in the sandbox: the payer paid the whole total, and gets the whole refund.
    amount: {
      total: amount.total,
      refund: amount.refund,
      payer_total: amount.total,
      payer_refund: amount.refund,
      settlement_total: amount.total,
      settlement_refund: amount.refund,
      discount_refund: 0,
      currency: amount.currency,
    },
  };
}

/** A refund as its `REFUND.SUCCESS` or `REFUND.ABNORMAL` notification carries it, once it ended. */
export function refundResource(refund: SandboxRefund): DirectRefundResource | PartnerRefundResource {
  const { order, amount, status } = refund;
  if (status === 'PROCESSING') throw new RangeError(`refundResource: refund ${refund.out_refund_no} is still processing`);
  const fields = {
    out_trade_no: order.out_trade_no,
    transaction_id: order.transaction_id ?? '',
    out_refund_no: refund.out_refund_no,
    refund_id: refund.refund_id,
    refund_status: status,
    ...(refund.success_time !== undefined ? { success_time: chinaTime(refund.success_time) } : {}),
    user_received_account: refund.user_received_account,
    amount: { total: amount.total, refund: amount.refund, payer_total: amount.total, payer_refund: amount.refund },
  };
  const { merchant } = order;
  return 'mchid' in merchant ? { mchid: merchant.mchid, ...fields } : { sp_mchid: merchant.sp_mchid, sub_mchid: merchant.sub_mchid, ...fields };
}
