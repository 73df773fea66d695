import { canonical } from './canonical-json';
import { SandboxFlowError } from './flow-error';
import { GatewayRefusal } from './gateway-refusal';
import { payerOpenid, transactionId } from './trade-ids';
import { placedAgain, prepayAnswer, type OrderDraft, type OrderProduct, type PaymentOutcomeState, type PrepayAnswer, type SandboxOrder, type TradeLedger, type TradeState } from './trade-ledger';

/** The ways of placing a combined order the sandbox serves, as their paths name them. */
export type CombineProduct = OrderProduct | 'miniprogram';

/** A sub-order as the merchant placed it: an order of its own, and what only a personal collection's sub-order (个人收款) names. */
export interface SubOrderDraft {
  /** The order it is; its product is the combined order's. */
  order: Omit<OrderDraft, 'product'>;
  individual_auth_id?: string;
  individual_name?: string;
}

/** A combined order (合单) as the merchant placed it. */
export interface CombinedDraft {
  product: CombineProduct;
  combine_appid: string;
  combine_mchid: string;
  combine_out_trade_no: string;
  /** Absent only for a personal collection placed from a mini program, whose notification then goes nowhere. */
  notify_url?: string;
  scene_info?: { device_id?: string };
  combine_payer_info?: { openid?: string; sub_openid?: string };
  sub_orders: SubOrderDraft[];
}

/** A sub-order the sandbox holds: the order in the trade ledger, and what only a sub-order names. */
export interface SandboxSubOrder {
  readonly order: SandboxOrder;
  readonly individual_auth_id?: string;
  readonly individual_name?: string;
}

/** A combined order the sandbox holds. */
export interface SandboxCombinedOrder extends Omit<CombinedDraft, 'sub_orders'> {
  /** The order body in a canonical form (keys sorted). */
  readonly fingerprint: string;
  readonly prepay: PrepayAnswer;
  /** 交易单微信支付订单号, numbered when the order is placed (the query always answers one). */
  readonly combine_transaction_id: string;
  readonly sub_orders: readonly SandboxSubOrder[];
}

/** A combined order's sub-order as the close call names it. */
export interface NamedSubOrder {
  mchid: string;
  out_trade_no: string;
  sub_mchid?: string;
}

/** What a sub-order of `product` is, to the rest of the sandbox: a mini program pays as JSAPI does. */
function orderProduct(product: CombineProduct): OrderProduct {
  return product === 'miniprogram' ? 'jsapi' : product;
}

/** Where a combined order stands: paid once its sub-orders are (refunds or not), else as its sub-orders stand, all alike. */
export function combinedState(combined: SandboxCombinedOrder): TradeState {
  const states = combined.sub_orders.map(({ order }) => order.trade_state);
  return states.some((state) => state === 'SUCCESS' || state === 'REFUND') ? 'SUCCESS' : states[0];
}

/** The merchant and sub-merchant of a sub-order, compared as the close call names them. */
function sameSubOrder(order: SandboxOrder, named: NamedSubOrder): boolean {
  const { merchant } = order;
  const [mchid, sub_mchid] = 'mchid' in merchant ? [merchant.mchid, undefined] : [merchant.sp_mchid, merchant.sub_mchid];
  return order.out_trade_no === named.out_trade_no && mchid === named.mchid && sub_mchid === named.sub_mchid;
}

/**
 * The sandbox's combined orders (合单) and the gateway's rules for them. Each sub-order is an
 * order of the trade ledger under its own number, so that once paid it is refunded and billed
 * as any order is; the combined order ties them together, placed, paid and closed as one. A
 * combined order number is placed once (the same order placed again answers the same, as an
 * order's does). State lives in this process only.
 */
export class CombineLedger {
  private readonly orders = new Map<string, SandboxCombinedOrder>();
  private sequence = 0;

  constructor(
    private readonly ledger: TradeLedger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Places a combined order and its sub-orders, or answers the one already placed under its
   * number when the body (`body`, as received) is the same and it is still unpaid. Refuses as an
   * order placed again is refused (403 `OUT_TRADE_NO_USED`, 400 `ORDERPAID`, 400
   * `ORDER_CLOSED`), for the combined order's number or for any sub-order's already in use.
   */
  place(draft: CombinedDraft, body: unknown): SandboxCombinedOrder | GatewayRefusal {
    const fingerprint = canonical({ product: draft.product, body });
    const known = this.orders.get(draft.combine_out_trade_no);
    if (known) return placedAgain({ trade_state: combinedState(known), fingerprint: known.fingerprint }, fingerprint) ?? known;
    const product = orderProduct(draft.product);
    const created_at = this.now();
    const prepay = prepayAnswer(product, created_at);
    const { sub_orders, ...fields } = draft;
    const orders = this.ledger.placeAll(
      sub_orders.map(({ order }) => ({ ...order, product })),
      draft.combine_out_trade_no,
      prepay,
    );
    if (orders instanceof GatewayRefusal) return orders;
    const combined: SandboxCombinedOrder = {
      ...fields,
      fingerprint,
      prepay,
      combine_transaction_id: transactionId(++this.sequence, created_at),
      sub_orders: orders.map((order, index) => ({ ...sub_orders[index], order })),
    };
    this.orders.set(draft.combine_out_trade_no, combined);
    return combined;
  }

  /** The combined order placed under `combine_out_trade_no`. */
  find(combine_out_trade_no: string): SandboxCombinedOrder | undefined {
    return this.orders.get(combine_out_trade_no);
  }

  /**
   * Closes every sub-order of an unpaid combined order (closing a closed one again is no error).
   * The close call must name the order as it was placed (`combine_appid`, and each sub-order by
   * merchant, sub-merchant and number, none left out): 400 `INVALID_REQUEST` otherwise; a paid
   * one refuses with 400 `ORDERPAID`.
   */
  close(combined: SandboxCombinedOrder, combine_appid: string, named: readonly NamedSubOrder[]): GatewayRefusal | undefined {
    const same = combine_appid === combined.combine_appid && named.length === combined.sub_orders.length && named.every((sub) => combined.sub_orders.some(({ order }) => sameSubOrder(order, sub)));
    if (!same) return new GatewayRefusal(400, 'INVALID_REQUEST', '关单的合单商户appid及商品单须与下单时一致');
    if (combinedState(combined) === 'SUCCESS') return new GatewayRefusal(400, 'ORDERPAID', '订单已支付');
    for (const { order } of combined.sub_orders) this.ledger.close(order);
    return undefined;
  }

  /**
   * What the payer did with an unpaid combined order, with one payment for all its sub-orders:
   * paid it (each sub-order gets its own `transaction_id`, all the same payer), failed to, or left
   * it to be closed. Throws a {@link SandboxFlowError} `NOT_PAYABLE` for one no longer unpaid.
   */
  settle(combined: SandboxCombinedOrder, outcome: PaymentOutcomeState): void {
    const state = combinedState(combined);
    if (state !== 'NOTPAY') throw new SandboxFlowError('NOT_PAYABLE', `combined order ${combined.combine_out_trade_no} is ${state}, not NOTPAY`);
    if (outcome === 'SUCCESS') {
      const openid = combined.combine_payer_info?.openid ?? payerOpenid();
      combined.combine_payer_info = { ...combined.combine_payer_info, openid };
      for (const { order } of combined.sub_orders) order.payer = 'mchid' in order.merchant ? { openid } : { ...order.payer, sp_openid: openid };
    }
    for (const { order } of combined.sub_orders) this.ledger.settle(order, outcome);
  }
}
