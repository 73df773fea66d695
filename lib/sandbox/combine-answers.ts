import type { Endpoints } from '@wechatpay-ts/openapi-types/endpoints';
import type { CombineTransactionResource } from '../v3/notification-resources';
import { chinaTime } from './china-time';
import type { SandboxCombinedOrder, SandboxSubOrder } from './combine-ledger';
import { TRADE_TYPES } from './trade-ledger';

/** A combined order as the combine query call answers it. */
export type CombineTransactionAnswer = Endpoints['v3/combine-transactions/out-trade-no/{combine_out_trade_no}']['get']['data'];

/** One sub-order of it. */
type SubOrderAnswer = NonNullable<CombineTransactionAnswer['sub_orders']>[number];

/** A sub-order as both the query and the notification give it. */
function subOrderAnswer({ order, individual_auth_id, individual_name }: SandboxSubOrder): SubOrderAnswer {
  const { merchant, payer, transaction_id, success_time } = order;
  const paid = transaction_id !== undefined && success_time !== undefined;
  return {
    mchid: 'mchid' in merchant ? merchant.mchid : merchant.sp_mchid,
    ...(individual_auth_id !== undefined ? { individual_auth_id } : {}),
    ...(individual_name !== undefined ? { individual_name } : {}),
    trade_type: TRADE_TYPES[order.product],
    trade_state: order.trade_state,
    ...(paid ? { transaction_id, success_time: chinaTime(success_time), bank_type: order.bank_type } : {}),
    ...(order.attach !== undefined ? { attach: order.attach } : {}),
    out_trade_no: order.out_trade_no,
    ...('sub_mchid' in merchant ? { sub_mchid: merchant.sub_mchid, ...(merchant.sub_appid !== undefined ? { sub_appid: merchant.sub_appid } : {}) } : {}),
    ...(payer?.sub_openid !== undefined ? { sub_openid: payer.sub_openid } : {}),
    // Before payment the payer has paid nothing, as for an order placed alone.
    amount: { total_amount: order.amount.total, currency: order.amount.currency, payer_amount: paid ? order.amount.total : 0, payer_currency: order.amount.currency },
  };
}

/** The fields the query and the notification share. */
function combinedFields(combined: SandboxCombinedOrder): CombineTransactionResource {
  const { scene_info, combine_payer_info } = combined;
  return {
    combine_appid: combined.combine_appid,
    combine_mchid: combined.combine_mchid,
    combine_out_trade_no: combined.combine_out_trade_no,
    ...(scene_info?.device_id !== undefined ? { scene_info: { device_id: scene_info.device_id } } : {}),
    sub_orders: combined.sub_orders.map(subOrderAnswer),
    ...(combine_payer_info?.openid !== undefined ? { combine_payer_info: { openid: combine_payer_info.openid } } : {}),
  };
}

/** A combined order as the combine query call answers it, each sub-order as it stands. */
export function combinedAnswer(combined: SandboxCombinedOrder): CombineTransactionAnswer {
  return { ...combinedFields(combined), combine_transaction_id: combined.combine_transaction_id };
}

/** A paid combined order as its `TRANSACTION.SUCCESS` notification carries it. */
export function combinedResource(combined: SandboxCombinedOrder): CombineTransactionResource {
  if (combined.sub_orders.some(({ order }) => order.transaction_id === undefined)) throw new RangeError(`combinedResource: combined order ${combined.combine_out_trade_no} is not paid`);
  return combinedFields(combined);
}
