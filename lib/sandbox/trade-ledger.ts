import type { Endpoints } from '@wechatpay-ts/openapi-types/endpoints';
import { canonical } from './canonical-json';
import { chinaDay } from './china-time';
import { SandboxFlowError } from './flow-error';
import { GatewayRefusal } from './gateway-refusal';
import { codeUrl, h5Url, payerOpenid, prepayId, refundId, transactionId } from './trade-ids';

/** The ways of placing an order the sandbox serves, as their paths name them. */
export type OrderProduct = 'jsapi' | 'app' | 'h5' | 'native';

/** The `trade_type` an order of each product reports. */
export const TRADE_TYPES = { jsapi: 'JSAPI', app: 'APP', h5: 'MWEB', native: 'NATIVE' } as const;

/** Where an order stands: `NOTPAY` until the payer pays, fails or it is closed; `REFUND` once a refund was asked. */
export type TradeState = 'NOTPAY' | 'SUCCESS' | 'REFUND' | 'CLOSED' | 'PAYERROR';

/** What `sandbox.pay()` may make of an order. */
export type PaymentOutcomeState = 'SUCCESS' | 'PAYERROR' | 'CLOSED';

/** Every {@link PaymentOutcomeState}, for checking what a test asks for. */
export const PAYMENT_OUTCOMES: readonly PaymentOutcomeState[] = ['SUCCESS', 'PAYERROR', 'CLOSED'];

/** Where a refund stands: `PROCESSING` until the money is back (`SUCCESS`) or cannot go back (`ABNORMAL`). */
export type RefundStatus = 'PROCESSING' | 'SUCCESS' | 'ABNORMAL';

/** Who placed an order: a direct merchant, or a service provider for one of its sub-merchants. */
export type OrderMerchant = { mchid: string; appid: string } | { sp_mchid: string; sp_appid: string; sub_mchid: string; sub_appid?: string };

/** Who pays: `openid` for a direct merchant's order, `sp_openid` and/or `sub_openid` for a service provider's. */
export interface OrderPayer {
  openid?: string;
  sp_openid?: string;
  sub_openid?: string;
}

/** An order as the merchant placed it. */
export interface OrderDraft {
  product: OrderProduct;
  merchant: OrderMerchant;
  out_trade_no: string;
  description: string;
  notify_url: string;
  attach?: string;
  time_expire?: string;
  goods_tag?: string;
  amount: { total: number; currency: string };
  payer?: OrderPayer;
}

/** What the order call answers: the `prepay_id` (JSAPI, APP), the `h5_url` (H5) or the `code_url` (Native). */
export type PrepayAnswer = Endpoints['v3/pay/transactions/jsapi']['post']['data'] | Endpoints['v3/pay/transactions/h5']['post']['data'] | Endpoints['v3/pay/transactions/native']['post']['data'];

/** An order the sandbox holds. */
export interface SandboxOrder extends OrderDraft {
  /** The order body in a canonical form (keys sorted). */
  readonly fingerprint: string;
  readonly prepay: PrepayAnswer;
  readonly created_at: Date;
  /** The combined order (合单) it is a sub-order of, paid and closed with it; absent for an order placed alone. */
  readonly combine_out_trade_no?: string;
  trade_state: TradeState;
  trade_state_desc: string;
  transaction_id?: string;
  success_time?: Date;
  bank_type?: string;
  /** Every refund asked of it, oldest first. */
  readonly refunds: SandboxRefund[];
}

/** A refund as the merchant asked for it. */
export interface RefundDraft {
  sub_mchid?: string;
  transaction_id?: string;
  out_trade_no?: string;
  out_refund_no: string;
  reason?: string;
  notify_url?: string;
  funds_account?: string;
  amount: { refund: number; total: number; currency: string };
}

/** A refund the sandbox holds. */
export interface SandboxRefund {
  readonly order: SandboxOrder;
  readonly out_refund_no: string;
  readonly refund_id: string;
  readonly reason?: string;
  readonly notify_url?: string;
  readonly funds_account: string;
  readonly amount: { refund: number; total: number; currency: string };
  readonly created_at: Date;
  status: RefundStatus;
  success_time?: Date;
  /** Where the money goes back to; a sandbox payer always paid from their balance (零钱). */
  readonly user_received_account: string;
}

const STATE_DESCRIPTIONS: Record<TradeState, string> = {
  NOTPAY: '订单未支付',
  SUCCESS: '支付成功',
  REFUND: '转入退款',
  CLOSED: '订单已关闭',
  PAYERROR: '支付失败',
};

/** The sub-merchant an order belongs to, '' for a direct merchant's. */
function subMerchantOf(order: { merchant: OrderMerchant }): string {
  return 'sub_mchid' in order.merchant ? order.merchant.sub_mchid : '';
}

/** Orders and refunds (and profit shares) are numbered per merchant: a direct merchant's, or each sub-merchant's. */
export function keyOf(sub_mchid: string | undefined, number: string): string {
  return `${sub_mchid ?? ''}\n${number}`;
}

/** An order number already used for another order. */
const NUMBER_USED = new GatewayRefusal(403, 'OUT_TRADE_NO_USED', '商户订单号重复');

/**
 * The gateway's rules for an order number placed again, an order's or a combined order's: a paid
 * one refuses (400 `ORDERPAID`), a closed one too (400 `ORDER_CLOSED`), an unpaid one placed with
 * another body (`fingerprint`) refuses (403 `OUT_TRADE_NO_USED`); undefined when the same unpaid
 * order may be answered again.
 */
export function placedAgain(known: { trade_state: TradeState; fingerprint: string }, fingerprint: string): GatewayRefusal | undefined {
  if (known.trade_state === 'SUCCESS' || known.trade_state === 'REFUND') return new GatewayRefusal(400, 'ORDERPAID', '订单已支付');
  if (known.trade_state === 'CLOSED') return new GatewayRefusal(400, 'ORDER_CLOSED', '订单已关闭');
  return known.fingerprint === fingerprint ? undefined : NUMBER_USED;
}

/** What placing an order of `product` answers: a new `prepay_id`, or the H5 page or QR code content made of one. */
export function prepayAnswer(product: OrderProduct, date: Date): PrepayAnswer {
  const prepay_id = prepayId(date);
  return product === 'h5' ? { h5_url: h5Url(prepay_id) } : product === 'native' ? { code_url: codeUrl() } : { prepay_id };
}

/** The amount of an order still refundable: its total less every refund asked (abnormal ones too: their money is not back). */
export function refundable(order: SandboxOrder): number {
  return order.refunds.reduce((left, refund) => left - refund.amount.refund, order.amount.total);
}

/**
 * The sandbox's orders and refunds, and the rules the gateway applies to them: an order number
 * is placed once per merchant (the same order placed again answers the same), only a paid order
 * is refunded, and never for more than is left of it. State lives in this process only.
 */
export class TradeLedger {
  private readonly orders = new Map<string, SandboxOrder>();
  private readonly transactions = new Map<string, SandboxOrder>();
  private readonly refunds = new Map<string, SandboxRefund>();
  private sequence = 0;

  constructor(private readonly now: () => Date = () => new Date()) {}

  /**
   * Places an order, or answers the one already placed under its number when the body of the
   * order call (`body`, as received) is the same and it is still unpaid. Refuses a number already
   * used for another body (403 `OUT_TRADE_NO_USED`), or for an order already paid (400
   * `ORDERPAID`) or closed (400 `ORDER_CLOSED`).
   */
  place(draft: OrderDraft, body: unknown): SandboxOrder | GatewayRefusal {
    const fingerprint = canonical({ product: draft.product, body });
    const known = this.order(draft.out_trade_no, subMerchantOf(draft));
    if (known) return placedAgain(known, fingerprint) ?? known;
    const created_at = this.now();
    return this.open(draft, { fingerprint, prepay: prepayAnswer(draft.product, created_at), created_at });
  }

  /**
   * Places the sub-orders of the combined order `combine_out_trade_no`, each an order of its own
   * under its number, all with the combined order's `prepay`. A number any order already has
   * (another combined order's sub-order too) refuses the whole as {@link place} would refuse that
   * order placed with another body; nothing is placed then.
   */
  placeAll(drafts: readonly OrderDraft[], combine_out_trade_no: string, prepay: PrepayAnswer): SandboxOrder[] | GatewayRefusal {
    const fingerprint = canonical({ combine_out_trade_no });
    for (const draft of drafts) {
      const known = this.order(draft.out_trade_no, subMerchantOf(draft));
      // Even a sub-order of the same combined order is in the way: a combined order placed again is answered before its sub-orders are placed.
      if (known) return placedAgain(known, fingerprint) ?? NUMBER_USED;
    }
    const created_at = this.now();
    return drafts.map((draft) => this.open(draft, { fingerprint, prepay, created_at, combine_out_trade_no }));
  }

  /** The order placed under `out_trade_no` by the direct merchant, or by `sub_mchid`. */
  order(out_trade_no: string, sub_mchid?: string): SandboxOrder | undefined {
    return this.orders.get(keyOf(sub_mchid, out_trade_no));
  }

  /** The paid order with this `transaction_id`, if it belongs to the direct merchant, or to `sub_mchid`. */
  transaction(transaction_id: string, sub_mchid?: string): SandboxOrder | undefined {
    const order = this.transactions.get(transaction_id);
    return order && subMerchantOf(order) === (sub_mchid ?? '') ? order : undefined;
  }

  /** The paid order with this `transaction_id`, whoever placed it: a service provider's calls that name no sub-merchant see its sub-merchants' orders too. */
  paidOrder(transaction_id: string): SandboxOrder | undefined {
    return this.transactions.get(transaction_id);
  }

  /** Closes an unpaid order (closing a closed one again is no error); a paid one refuses with 400 `ORDERPAID`. */
  close(order: SandboxOrder): GatewayRefusal | undefined {
    if (order.trade_state === 'SUCCESS' || order.trade_state === 'REFUND') return new GatewayRefusal(400, 'ORDERPAID', '订单已支付');
    this.enter(order, 'CLOSED');
    return undefined;
  }

  /**
   * What the payer did with an unpaid order: paid it (it gets its `transaction_id`, `success_time`,
   * payer and bank), failed to, or left it to be closed. Throws a {@link SandboxFlowError}
   * `NOT_PAYABLE` for an order no longer unpaid.
   */
  settle(order: SandboxOrder, outcome: PaymentOutcomeState): void {
    if (order.trade_state !== 'NOTPAY') throw new SandboxFlowError('NOT_PAYABLE', `order ${order.out_trade_no} is ${order.trade_state}, not NOTPAY`);
    if (outcome === 'SUCCESS') {
      order.success_time = this.now();
      order.transaction_id = transactionId(++this.sequence, order.success_time);
      order.bank_type = 'OTHERS';
      order.payer = 'mchid' in order.merchant ? { openid: order.payer?.openid ?? payerOpenid() } : { ...order.payer, sp_openid: order.payer?.sp_openid ?? payerOpenid() };
      this.transactions.set(order.transaction_id, order);
    }
    this.enter(order, outcome);
  }

  /**
   * Accepts a refund (`PROCESSING`), or answers the one already asked under its number when it is
   * the same. Refuses with the gateway's codes: 404 `RESOURCE_NOT_EXISTS` for an order not found
   * or not paid, 400 `INVALID_REQUEST` for a total that is not the order's, a number used for
   * another refund, or more than is left to refund.
   */
  refund(draft: RefundDraft): SandboxRefund | GatewayRefusal {
    const order = draft.transaction_id !== undefined ? this.transaction(draft.transaction_id, draft.sub_mchid) : this.order(draft.out_trade_no ?? '', draft.sub_mchid);
    if (!order || (order.trade_state !== 'SUCCESS' && order.trade_state !== 'REFUND')) return new GatewayRefusal(404, 'RESOURCE_NOT_EXISTS', '订单不存在或未支付');
    const key = keyOf(draft.sub_mchid, draft.out_refund_no);
    const known = this.refunds.get(key);
    if (known) {
      return known.order === order && known.amount.refund === draft.amount.refund ? known : new GatewayRefusal(400, 'INVALID_REQUEST', '商户退款单号已用于另一笔退款');
    }
    if (draft.amount.total !== order.amount.total) return new GatewayRefusal(400, 'INVALID_REQUEST', '订单金额与原订单不一致');
    if (draft.amount.refund > refundable(order)) return new GatewayRefusal(400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额');
    const created_at = this.now();
    const refund: SandboxRefund = {
      order,
      out_refund_no: draft.out_refund_no,
      refund_id: refundId(++this.sequence, created_at),
      reason: draft.reason,
      notify_url: draft.notify_url,
      funds_account: draft.funds_account ?? 'AVAILABLE',
      amount: { ...draft.amount },
      created_at,
      status: 'PROCESSING',
      user_received_account: '支付用户零钱',
    };
    this.refunds.set(key, refund);
    order.refunds.push(refund);
    this.enter(order, 'REFUND');
    return refund;
  }

  /** The refund asked under `out_refund_no` by the direct merchant, or by `sub_mchid`. */
  findRefund(out_refund_no: string, sub_mchid?: string): SandboxRefund | undefined {
    return this.refunds.get(keyOf(sub_mchid, out_refund_no));
  }

  /** Ends a processing refund: the money is back (`SUCCESS`, with its `success_time`), or it cannot go back (`ABNORMAL`). */
  finishRefund(refund: SandboxRefund, status: 'SUCCESS' | 'ABNORMAL'): void {
    refund.status = status;
    if (status === 'SUCCESS') refund.success_time = this.now();
  }

  /**
   * What a trade bill of `bill_date` (Beijing time) holds: the orders paid that day and the refunds
   * accepted that day, oldest first; only `sub_mchid`'s when given.
   */
  day(bill_date: string, sub_mchid?: string): { payments: SandboxOrder[]; refunds: SandboxRefund[] } {
    const mine = (order: SandboxOrder) => sub_mchid === undefined || subMerchantOf(order) === sub_mchid;
    const payments = [...this.transactions.values()].filter((order) => mine(order) && order.success_time && chinaDay(order.success_time) === bill_date);
    const refunds = [...this.refunds.values()].filter((refund) => mine(refund.order) && chinaDay(refund.created_at) === bill_date);
    return { payments, refunds };
  }

  /** Holds a new order, `NOTPAY`, under its merchant's number. */
  private open(draft: OrderDraft, placed: Pick<SandboxOrder, 'fingerprint' | 'prepay' | 'created_at' | 'combine_out_trade_no'>): SandboxOrder {
    const order: SandboxOrder = { ...draft, ...placed, trade_state: 'NOTPAY', trade_state_desc: STATE_DESCRIPTIONS.NOTPAY, refunds: [] };
    this.orders.set(keyOf(subMerchantOf(draft), draft.out_trade_no), order);
    return order;
  }

  private enter(order: SandboxOrder, state: TradeState): void {
    order.trade_state = state;
    order.trade_state_desc = STATE_DESCRIPTIONS[state];
  }
}
