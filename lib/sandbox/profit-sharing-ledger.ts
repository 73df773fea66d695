import type { Endpoints } from '@wechatpay-ts/openapi-types/endpoints';
import { GatewayRefusal } from './gateway-refusal';
import { canonical } from './canonical-json';
import { keyOf, refundable, type SandboxOrder, type TradeLedger } from './trade-ledger';
import { profitSharingDetailId, profitSharingOrderId } from './trade-ids';

/** Who receives a share: a merchant by its `mchid`, or a person by their `openid` under the service provider's or the sub-merchant's app. */
export type ReceiverType = 'MERCHANT_ID' | 'PERSONAL_OPENID' | 'PERSONAL_SUB_OPENID';

/** How a receiver relates to the merchant that shares with it (门店, 员工, 供应商…; `CUSTOM` with its own words). */
export type RelationType = Endpoints['v3/profitsharing/receivers/add']['post']['data']['relation_type'];

/** Where a profit-sharing order stands: `PROCESSING` until every receiver has its share, then `FINISHED`. */
export type SharingState = 'PROCESSING' | 'FINISHED';

/** Where one receiver's share stands: `PENDING` until it reached the receiver (`SUCCESS`); the sandbox never closes one (`CLOSED`). */
export type ShareResult = 'PENDING' | 'SUCCESS' | 'CLOSED';

/** Where a return stands: `PROCESSING` until the money is back with the sharer (`SUCCESS`); the sandbox never fails one. */
export type ReturnResult = 'PROCESSING' | 'SUCCESS';

/** A receiver as the merchant added it: who it is, and how it relates to the merchant. */
export interface ReceiverDraft {
  sub_mchid?: string;
  type: ReceiverType;
  account: string;
  relation_type: RelationType;
  custom_relation?: string;
}

/** One receiver's share, as the merchant asked for it (`name`, encrypted, is accepted and not kept). */
export interface ShareDraft {
  type: ReceiverType;
  account: string;
  amount: number;
  description: string;
}

/** A profit-sharing order (请求分账) as the merchant asked for it. */
export interface SharingDraft {
  sub_mchid?: string;
  transaction_id: string;
  out_order_no: string;
  receivers?: ShareDraft[];
  unfreeze_unsplit: boolean;
}

/** An unfreeze (解冻剩余资金) as the merchant asked for it: the rest of the order goes to the merchant itself. */
export interface UnfreezeDraft {
  sub_mchid?: string;
  transaction_id: string;
  out_order_no: string;
  description: string;
}

/** A return (请求分账回退) as the merchant asked for it: from a merchant receiver of a profit-sharing order, named by either number. */
export interface ReturnDraft {
  sub_mchid?: string;
  order_id?: string;
  out_order_no?: string;
  out_return_no: string;
  return_mchid: string;
  amount: number;
  description: string;
}

/** One receiver's share of a profit-sharing order the sandbox holds. */
export interface SandboxShare extends ShareDraft {
  readonly detail_id: string;
  readonly created_at: Date;
  result: ShareResult;
  finished_at?: Date;
}

/** A profit-sharing order (or an unfreeze, which is one) the sandbox holds. */
export interface SandboxSharingOrder {
  /** The paid order whose money is shared. */
  readonly trade: SandboxOrder;
  readonly sub_mchid?: string;
  readonly out_order_no: string;
  readonly order_id: string;
  /** Whether it is an unfreeze: its one receiver is the merchant itself. */
  readonly unfreeze: boolean;
  /** The request body in a canonical form, with the route it came by. */
  readonly fingerprint: string;
  readonly created_at: Date;
  readonly receivers: SandboxShare[];
  state: SharingState;
}

/** A return the sandbox holds. */
export interface SandboxSharingReturn {
  readonly sharing: SandboxSharingOrder;
  readonly out_return_no: string;
  readonly return_id: string;
  readonly return_mchid: string;
  readonly amount: number;
  readonly description: string;
  readonly fingerprint: string;
  readonly created_at: Date;
  result: ReturnResult;
  finished_at?: Date;
}

/** The receivers a merchant added are kept per merchant, and per sub-merchant, by type and account. */
function receiverKey(sub_mchid: string | undefined, type: string, account: string): string {
  return keyOf(sub_mchid, `${type}\n${account}`);
}

const NOT_PAID = new GatewayRefusal(404, 'RESOURCE_NOT_EXISTS', '订单不存在或未支付');
const NO_SHARING = new GatewayRefusal(404, 'RESOURCE_NOT_EXISTS', '分账单不存在');
const UNFROZEN = new GatewayRefusal(400, 'INVALID_REQUEST', '订单剩余资金已解冻，不能再分账');

/**
 * The sandbox's profit sharing (分账) over the paid orders of a {@link TradeLedger}, and the rules
 * the gateway applies to it: only a paid order is shared, only to receivers the merchant added,
 * never beyond what is left of it to share ({@link ProfitSharingLedger.unsplitAmount}), and not at all
 * once its rest was unfrozen; a return takes back at most what a merchant receiver got. Each
 * number is used once per merchant: asked again the same, it answers the same; asked otherwise,
 * it is refused. State lives in this process only.
 */
export class ProfitSharingLedger {
  private readonly receivers = new Map<string, ReceiverDraft>();
  private readonly orders = new Map<string, SandboxSharingOrder>();
  private readonly returns = new Map<string, SandboxSharingReturn>();
  /** The profit-sharing orders of each paid order, oldest first. */
  private readonly shares = new Map<SandboxOrder, SandboxSharingOrder[]>();
  /** The paid orders whose rest was unfrozen: nothing more of them is shared. */
  private readonly unfrozen = new Set<SandboxOrder>();
  private sequence = 0;

  constructor(
    private readonly trades: TradeLedger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Adds a receiver (adding it again replaces its relation), and answers it as kept. */
  addReceiver(draft: ReceiverDraft): ReceiverDraft {
    const receiver = { ...draft };
    this.receivers.set(receiverKey(draft.sub_mchid, draft.type, draft.account), receiver);
    return receiver;
  }

  /** Deletes a receiver; deleting one never added is no error. Shares already asked for it go on. */
  deleteReceiver(draft: { sub_mchid?: string; type: ReceiverType; account: string }): void {
    this.receivers.delete(receiverKey(draft.sub_mchid, draft.type, draft.account));
  }

  /**
   * What is left to share of the paid order `transaction_id`, whoever placed it (剩余待分金额):
   * nothing once its rest was unfrozen, else its total less every refund asked of it and every
   * share asked of it (pending ones too; a return does not add to it). Undefined for an order not
   * found or not paid.
   */
  unsplitAmount(transaction_id: string): number | undefined {
    const trade = this.trades.paidOrder(transaction_id);
    return trade && this.unsplit(trade);
  }

  /** What is left of a paid order to share; see {@link ProfitSharingLedger.unsplitAmount}. */
  private unsplit(trade: SandboxOrder): number {
    if (this.unfrozen.has(trade)) return 0;
    const shared = (this.shares.get(trade) ?? []).reduce((sum, order) => sum + order.receivers.reduce((part, share) => part + share.amount, 0), 0);
    return Math.max(0, refundable(trade) - shared);
  }

  /**
   * Accepts a profit-sharing order (`PROCESSING`, each share `PENDING`), or answers the one already
   * asked under its number when `body` is the same. Refuses with the gateway's codes: 404
   * `RESOURCE_NOT_EXISTS` for an order not found or not paid, 400 `INVALID_REQUEST` for a number
   * used for another request, an order whose rest was unfrozen, a receiver never added (naming its
   * account), or shares beyond what is left. With `unfreeze_unsplit`, the rest is unfrozen at once.
   */
  share(draft: SharingDraft, body: unknown): SandboxSharingOrder | GatewayRefusal {
    return this.accept(draft, canonical({ share: body }), { unfreeze: false, rest: draft.unfreeze_unsplit }, (trade) => {
      const receivers = draft.receivers ?? [];
      const stranger = receivers.find((receiver) => !this.receivers.has(receiverKey(draft.sub_mchid, receiver.type, receiver.account)));
      if (stranger) return new GatewayRefusal(400, 'INVALID_REQUEST', `分账接收方 ${stranger.account} 未添加，请先添加分账接收方`);
      const total = receivers.reduce((sum, receiver) => sum + receiver.amount, 0);
      return total > this.unsplit(trade) ? new GatewayRefusal(400, 'INVALID_REQUEST', '分账金额超过订单剩余待分金额') : receivers;
    });
  }

  /**
   * Accepts an unfreeze (`PROCESSING`): the rest of the order, whatever it is, goes to the merchant
   * itself (the sub-merchant, for a service provider's order), as its one receiver, and nothing
   * more of the order is shared. Answers the same unfreeze asked again; refuses as
   * {@link ProfitSharingLedger.share} does, and an order whose rest was already unfrozen.
   */
  unfreeze(draft: UnfreezeDraft, body: unknown): SandboxSharingOrder | GatewayRefusal {
    return this.accept(draft, canonical({ unfreeze: body }), { unfreeze: true, rest: true }, (trade) => {
      const account = 'mchid' in trade.merchant ? trade.merchant.mchid : trade.merchant.sub_mchid;
      return [{ type: 'MERCHANT_ID', account, amount: this.unsplit(trade), description: draft.description }];
    });
  }

  /** The profit-sharing order (or unfreeze) asked under `out_order_no` by the direct merchant, or by `sub_mchid`. */
  findOrder(out_order_no: string, sub_mchid?: string): SandboxSharingOrder | undefined {
    return this.orders.get(keyOf(sub_mchid, out_order_no));
  }

  /** Ends a processing profit-sharing order: every share reached its receiver. */
  finishOrder(order: SandboxSharingOrder): void {
    const finished_at = this.now();
    for (const share of order.receivers) {
      share.result = 'SUCCESS';
      share.finished_at = finished_at;
    }
    order.state = 'FINISHED';
  }

  /**
   * Accepts a return (`PROCESSING`) from a merchant receiver of a profit-sharing order, or answers
   * the one already asked under its number when `body` is the same. Refuses with 404
   * `RESOURCE_NOT_EXISTS` for a profit-sharing order not found, and 400 `INVALID_REQUEST` for a
   * number used for another request, a `return_mchid` that is no merchant receiver of the order,
   * one whose share has not reached it yet, or more than it got less what it returned already.
   */
  returnShare(draft: ReturnDraft, body: unknown): SandboxSharingReturn | GatewayRefusal {
    const fingerprint = canonical(body);
    const key = keyOf(draft.sub_mchid, draft.out_return_no);
    const known = this.returns.get(key);
    if (known) return known.fingerprint === fingerprint ? known : new GatewayRefusal(400, 'INVALID_REQUEST', '商户回退单号已用于另一笔回退');
    const sharing = draft.out_order_no !== undefined ? this.findOrder(draft.out_order_no, draft.sub_mchid) : [...this.orders.values()].find((order) => order.order_id === draft.order_id && order.sub_mchid === draft.sub_mchid);
    if (!sharing) return NO_SHARING;
    const share = sharing.unfreeze ? undefined : sharing.receivers.find((receiver) => receiver.type === 'MERCHANT_ID' && receiver.account === draft.return_mchid);
    if (!share) return new GatewayRefusal(400, 'INVALID_REQUEST', `回退商户号 ${draft.return_mchid} 不是该分账单的分账接收方`);
    if (share.result !== 'SUCCESS') return new GatewayRefusal(400, 'INVALID_REQUEST', '分账接收方尚未收到分账，不能回退');
    const returned = [...this.returns.values()].filter((known) => known.sharing === sharing && known.return_mchid === draft.return_mchid).reduce((sum, known) => sum + known.amount, 0);
    if (draft.amount > share.amount - returned) return new GatewayRefusal(400, 'INVALID_REQUEST', '回退金额超过分账接收方可回退金额');
    const created_at = this.now();
    const sharingReturn: SandboxSharingReturn = {
      sharing,
      out_return_no: draft.out_return_no,
      return_id: profitSharingOrderId(++this.sequence, created_at),
      return_mchid: draft.return_mchid,
      amount: draft.amount,
      description: draft.description,
      fingerprint,
      created_at,
      result: 'PROCESSING',
    };
    this.returns.set(key, sharingReturn);
    return sharingReturn;
  }

  /** The return asked under `out_return_no` by the direct merchant, or by `sub_mchid`. */
  findReturn(out_return_no: string, sub_mchid?: string): SandboxSharingReturn | undefined {
    return this.returns.get(keyOf(sub_mchid, out_return_no));
  }

  /** Ends a processing return: the money is back with the sharer. */
  finishReturn(sharingReturn: SandboxSharingReturn): void {
    sharingReturn.result = 'SUCCESS';
    sharingReturn.finished_at = this.now();
  }

  /**
   * What sharing and unfreezing have in common: the same request again answers the same order; a
   * number used for another, an order not found or not paid, or one whose rest was unfrozen is
   * refused; else the shares `sharesOf` the paid order gives (or its refusal) make a new order,
   * `PROCESSING` with each share `PENDING`, and with `rest` the rest of the paid order is unfrozen.
   */
  private accept(
    draft: { sub_mchid?: string; transaction_id: string; out_order_no: string },
    fingerprint: string,
    kind: { unfreeze: boolean; rest: boolean },
    sharesOf: (trade: SandboxOrder) => readonly ShareDraft[] | GatewayRefusal,
  ): SandboxSharingOrder | GatewayRefusal {
    const key = keyOf(draft.sub_mchid, draft.out_order_no);
    const known = this.orders.get(key);
    if (known) return known.fingerprint === fingerprint ? known : new GatewayRefusal(400, 'INVALID_REQUEST', '商户分账单号已用于另一笔分账');
    const trade = this.trades.transaction(draft.transaction_id, draft.sub_mchid);
    if (!trade) return NOT_PAID;
    if (this.unfrozen.has(trade)) return UNFROZEN;
    const shares = sharesOf(trade);
    if (shares instanceof GatewayRefusal) return shares;
    const created_at = this.now();
    const order: SandboxSharingOrder = {
      trade,
      ...(draft.sub_mchid !== undefined ? { sub_mchid: draft.sub_mchid } : {}),
      out_order_no: draft.out_order_no,
      order_id: profitSharingOrderId(++this.sequence, created_at),
      unfreeze: kind.unfreeze,
      fingerprint,
      created_at,
      receivers: shares.map(({ type, account, amount, description }) => ({ type, account, amount, description, detail_id: profitSharingDetailId(++this.sequence, created_at), created_at, result: 'PENDING' })),
      state: 'PROCESSING',
    };
    this.orders.set(key, order);
    this.shares.set(trade, [...(this.shares.get(trade) ?? []), order]);
    if (kind.rest) this.unfrozen.add(trade);
    return order;
  }
}
