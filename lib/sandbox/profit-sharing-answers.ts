import type { Endpoints } from '@wechatpay-ts/openapi-types/endpoints';
import { chinaTime } from './china-time';
import type { ReceiverDraft, SandboxSharingOrder, SandboxSharingReturn } from './profit-sharing-ledger';

/**
 * A profit-sharing order as the request, query and unfreeze calls answer it: all three answer
 * this shape (the query's and the unfreeze's as the catalogue errata correct them, see
 * tools/generate/errata.ts).
 */
export type SharingAnswer = Endpoints['v3/profitsharing/orders']['post']['data'];

/** A return as the return calls answer it. */
export type SharingReturnAnswer = Endpoints['v3/profitsharing/return-orders']['post']['data'];

/** A receiver as adding it answers. */
export type ReceiverAnswer = Endpoints['v3/profitsharing/receivers/add']['post']['data'];

/** A receiver as deleting it answers. */
export type DeletedReceiverAnswer = Endpoints['v3/profitsharing/receivers/delete']['post']['data'];

/** What is left of an order to share, as its query answers it. */
export type UnsplitAnswer = Endpoints['v3/profitsharing/transactions/{transaction_id}/amounts']['get']['data'];

/**
 * What the catalogue's `finish_time` (required) holds before anything finished: the Unix epoch in
 * Beijing time, a time no share or return can have finished at.
 */
const NOT_FINISHED = chinaTime(new Date(0));

/** A profit-sharing order (or an unfreeze) as its calls answer it. */
export function sharingAnswer(order: SandboxSharingOrder): SharingAnswer {
  return {
    ...(order.sub_mchid !== undefined ? { sub_mchid: order.sub_mchid } : {}),
    transaction_id: order.trade.transaction_id ?? '',
    out_order_no: order.out_order_no,
    order_id: order.order_id,
    state: order.state,
    receivers: order.receivers.map((share) => ({
      amount: share.amount,
      description: share.description,
      type: share.type,
      account: share.account,
      result: share.result,
      detail_id: share.detail_id,
      create_time: chinaTime(share.created_at),
      finish_time: share.finished_at ? chinaTime(share.finished_at) : NOT_FINISHED,
    })),
  };
}

/** A return as its calls answer it. */
export function sharingReturnAnswer(sharingReturn: SandboxSharingReturn): SharingReturnAnswer {
  const { sharing } = sharingReturn;
  return {
    ...(sharing.sub_mchid !== undefined ? { sub_mchid: sharing.sub_mchid } : {}),
    order_id: sharing.order_id,
    out_order_no: sharing.out_order_no,
    out_return_no: sharingReturn.out_return_no,
    return_id: sharingReturn.return_id,
    return_mchid: sharingReturn.return_mchid,
    amount: sharingReturn.amount,
    description: sharingReturn.description,
    result: sharingReturn.result,
    create_time: chinaTime(sharingReturn.created_at),
    finish_time: sharingReturn.finished_at ? chinaTime(sharingReturn.finished_at) : NOT_FINISHED,
  };
}

/** A receiver as adding it answers (without `name`: the sandbox keeps no names). */
export function receiverAnswer(receiver: ReceiverDraft): ReceiverAnswer {
  const { sub_mchid, type, account, relation_type, custom_relation } = receiver;
  return {
    ...(sub_mchid !== undefined ? { sub_mchid } : {}),
    type,
    account,
    relation_type,
    ...(custom_relation !== undefined ? { custom_relation } : {}),
  };
}

/** A receiver as deleting it answers. */
export function deletedReceiverAnswer({ sub_mchid, type, account }: Pick<ReceiverDraft, 'sub_mchid' | 'type' | 'account'>): DeletedReceiverAnswer {
  return { ...(sub_mchid !== undefined ? { sub_mchid } : {}), type, account };
}
