import { DelayedSteps } from './delayed-steps';
import { combinedAnswer, combinedResource, type CombineTransactionAnswer } from './combine-answers';
import { CombineLedger } from './combine-ledger';
import { combineRoutes } from './combine-routes';
import { SandboxFlowError } from './flow-error';
import { NotificationCourier, type DeliveryOutcome, type NotificationSender } from './notification-courier';
import { refundAnswer, refundResource, transactionAnswer, transactionResource, type RefundAnswer, type SandboxTransaction } from './order-answers';
import { orderRoutes } from './order-routes';
import { sharingAnswer, sharingReturnAnswer, type SharingAnswer, type SharingReturnAnswer } from './profit-sharing-answers';
import { ProfitSharingLedger, type SandboxSharingOrder, type SandboxSharingReturn } from './profit-sharing-ledger';
import { profitSharingRoutes } from './profit-sharing-routes';
import { refundRoutes } from './refund-routes';
import type { Route } from './routes';
import { tradeBillRoutes } from './trade-bill-routes';
import { checkFields, oneOf, optional, text } from './argument-checks';
import { PAYMENT_OUTCOMES, TradeLedger, type PaymentOutcomeState, type SandboxRefund } from './trade-ledger';

/** How the sandbox paces payment flows; every option has a default fit for tests. */
export interface PaymentFlowOptions {
  /**
   * The waits before each new attempt at a notification the merchant server did not acknowledge,
   * in milliseconds; after the last the sandbox gives up. The gateway's schedule a thousand times
   * faster by default (`SANDBOX_NOTIFY_SCHEDULE_MS`); `GATEWAY_NOTIFY_SCHEDULE_MS` is the real one.
   */
  notifySchedule?: readonly number[];
  /** How long a refund stays `PROCESSING` before it succeeds (or turns `ABNORMAL`), in milliseconds; 20 by default. */
  refundDelayMs?: number;
  /** How long a profit-sharing order (or an unfreeze, or a return) stays `PROCESSING` before it finishes, in milliseconds; 20 by default. */
  profitSharingDelayMs?: number;
}

/** What `sandbox.pay()` resolves with. */
export interface PaymentOutcome {
  /** The order right after the payer acted, as the query calls answer it. */
  order: SandboxTransaction;
  /** How delivering its `TRANSACTION.SUCCESS` notification ended; absent when the payment did not succeed (no notification is sent then). */
  delivery?: DeliveryOutcome;
}

/** What `sandbox.payCombined()` resolves with. */
export interface CombinedPaymentOutcome {
  /** The combined order right after the payer acted, as the combine query call answers it. */
  order: CombineTransactionAnswer;
  /** How delivering its `TRANSACTION.SUCCESS` notification ended; absent when the payment did not succeed, or the order has no `notify_url`. */
  delivery?: DeliveryOutcome;
}

/** What `sandbox.refundSettled()` resolves with. */
export interface RefundOutcome {
  /** The refund once it ended, as the refund calls answer it (still `PROCESSING` if the sandbox closed first). */
  refund: RefundAnswer;
  /** How delivering its `REFUND.SUCCESS` or `REFUND.ABNORMAL` notification ended; absent if the sandbox closed before the refund ended, or there is no `notify_url` to deliver it to. */
  delivery?: DeliveryOutcome;
}

/** What the flows need of the sandbox they run in. */
export interface FlowContext {
  /** The merchant that signs requests (a direct merchant, or the service provider). */
  mchid: string;
  /** Sends one signed, encrypted notification. */
  send: NotificationSender;
  /** The sandbox's base URL, for download links. */
  baseURL: () => string;
}

const REFUND_DELAY_MS = 20;
const PROFIT_SHARING_DELAY_MS = 20;

/**
 * A merchant's payment flows, end to end: orders and combined orders placed, queried and closed
 * over HTTP, paid when the test says (`pay()`, `payCombined()`), refunded over HTTP and settled by themselves a moment later, each
 * success (and each abnormal refund) notified to the merchant's server with the gateway's
 * retries, and each day's trade bill written from what happened; paid orders shared with
 * receivers (分账), and shares returned, finishing by themselves a moment later too. `close()`
 * stops whatever is still pending.
 */
export class PaymentFlows {
  private readonly ledger = new TradeLedger();
  private readonly combined = new CombineLedger(this.ledger);
  private readonly courier: NotificationCourier;
  private readonly refunding: DelayedSteps;
  private readonly settlements = new Map<SandboxRefund, Promise<RefundOutcome>>();
  private readonly sharing = new ProfitSharingLedger(this.ledger);
  private readonly sharingSteps: DelayedSteps;
  private readonly sharingSettlements = new Map<SandboxSharingOrder, Promise<SharingAnswer>>();
  private readonly returnSettlements = new Map<SandboxSharingReturn, Promise<SharingReturnAnswer>>();
  private abnormalToCome = 0;

  constructor(
    private readonly context: FlowContext,
    options: PaymentFlowOptions = {},
  ) {
    this.courier = new NotificationCourier(context.send, { schedule: options.notifySchedule });
    this.refunding = new DelayedSteps(options.refundDelayMs ?? REFUND_DELAY_MS);
    this.sharingSteps = new DelayedSteps(options.profitSharingDelayMs ?? PROFIT_SHARING_DELAY_MS);
  }

  /** The order, combined order, refund and profit-sharing routes to register. */
  routes(): Route[] {
    const { mchid } = this.context;
    return [
      ...orderRoutes(this.ledger, mchid, false),
      ...orderRoutes(this.ledger, mchid, true),
      ...combineRoutes(this.combined, mchid),
      ...refundRoutes(this.ledger, (refund) => this.settle(refund)),
      ...profitSharingRoutes(this.sharing, { shared: (order) => this.finishSharing(order), returned: (sharingReturn) => this.finishReturn(sharingReturn) }),
    ];
  }

  /** The trade bill routes, over the days with sandbox transactions; `fallback` serves the others. */
  billRoutes(fallback: readonly Route[]): Route[] {
    return tradeBillRoutes(this.ledger, fallback, this.context.baseURL);
  }

  /**
   * Acts as the payer of the unpaid order `outTradeNo` (of `sub_mchid`, for a service provider's
   * order): `SUCCESS` (the default) pays it and notifies `TRANSACTION.SUCCESS` to its
   * `notify_url`, retrying until acknowledged; `PAYERROR` fails it; `CLOSED` leaves it closed. The
   * order changes at once; the promise resolves once the notification was acknowledged, given up
   * on or cancelled. Rejects with a {@link SandboxFlowError} for an unknown or no longer unpaid
   * order, or for a combined order's sub-order (`NOT_PAYABLE`: it is paid with the others, by {@link payCombined}).
   */
  async pay(outTradeNo: string, options: { outcome?: PaymentOutcomeState; sub_mchid?: string } = {}): Promise<PaymentOutcome> {
    checkFields(options, { outcome: optional(oneOf(PAYMENT_OUTCOMES)), sub_mchid: optional(text) }, { name: 'sandbox.pay(): options', expected: 'an object with outcome and sub_mchid', takes: 'sandbox.pay() takes' });
    const order = this.ledger.order(outTradeNo, options.sub_mchid);
    if (!order) throw new SandboxFlowError('NOT_FOUND', `no order ${outTradeNo}${options.sub_mchid ? ` of sub-merchant ${options.sub_mchid}` : ''} was placed`);
    if (order.combine_out_trade_no !== undefined) throw new SandboxFlowError('NOT_PAYABLE', `order ${outTradeNo} is a sub-order of combined order ${order.combine_out_trade_no}: pay that with payCombined()`);
    const outcome = options.outcome ?? 'SUCCESS';
    this.ledger.settle(order, outcome);
    const snapshot = transactionAnswer(order);
    if (outcome !== 'SUCCESS') return { order: snapshot };
    const delivery = await this.courier.deliver(order.notify_url, { event_type: 'TRANSACTION.SUCCESS', resource_type: 'transaction', summary: '支付成功', resource: transactionResource(order) });
    return { order: snapshot, delivery };
  }

  /**
   * Acts as the payer of the unpaid combined order `combineOutTradeNo`, all its sub-orders in one
   * payment: `SUCCESS` (the default) pays each (its own `transaction_id`) and notifies one
   * `TRANSACTION.SUCCESS` carrying the combined order to its `notify_url`, retrying until
   * acknowledged; `PAYERROR` fails them; `CLOSED` leaves them closed. Rejects with a
   * {@link SandboxFlowError} for an unknown or no longer unpaid combined order.
   */
  async payCombined(combineOutTradeNo: string, options: { outcome?: PaymentOutcomeState } = {}): Promise<CombinedPaymentOutcome> {
    checkFields(options, { outcome: optional(oneOf(PAYMENT_OUTCOMES)) }, { name: 'sandbox.payCombined(): options', expected: 'an object with outcome', takes: 'sandbox.payCombined() takes' });
    const combined = this.combined.find(combineOutTradeNo);
    if (!combined) throw new SandboxFlowError('NOT_FOUND', `no combined order ${combineOutTradeNo} was placed`);
    const outcome = options.outcome ?? 'SUCCESS';
    this.combined.settle(combined, outcome);
    const snapshot = combinedAnswer(combined);
    if (outcome !== 'SUCCESS' || combined.notify_url === undefined) return { order: snapshot };
    const delivery = await this.courier.deliver(combined.notify_url, { event_type: 'TRANSACTION.SUCCESS', resource_type: 'transaction', summary: '支付成功', resource: combinedResource(combined) });
    return { order: snapshot, delivery };
  }

  /** Makes the next refund accepted end `ABNORMAL` (the money cannot go back the way it came) rather than `SUCCESS`; calls add up. */
  failNextRefund(): void {
    this.abnormalToCome += 1;
  }

  /**
   * Resolves once the refund `outRefundNo` (of `sub_mchid`) ended and its notification was
   * acknowledged, given up on or cancelled. Rejects with a {@link SandboxFlowError} `NOT_FOUND`
   * for a refund never accepted.
   */
  refundSettled(outRefundNo: string, options: { sub_mchid?: string } = {}): Promise<RefundOutcome> {
    const refund = this.ledger.findRefund(outRefundNo, options.sub_mchid);
    const settlement = refund && this.settlements.get(refund);
    return settlement ?? Promise.reject(new SandboxFlowError('NOT_FOUND', `no refund ${outRefundNo} was accepted`));
  }

  /**
   * Resolves with the profit-sharing order (or unfreeze) `outOrderNo` (of `sub_mchid`) once it
   * finished, as its query answers it (still `PROCESSING` if the sandbox closed first). Rejects
   * with a {@link SandboxFlowError} `NOT_FOUND` for an order never accepted.
   */
  profitSharingSettled(outOrderNo: string, options: { sub_mchid?: string } = {}): Promise<SharingAnswer> {
    const order = this.sharing.findOrder(outOrderNo, options.sub_mchid);
    const settlement = order && this.sharingSettlements.get(order);
    return settlement ?? Promise.reject(new SandboxFlowError('NOT_FOUND', `no profit-sharing order ${outOrderNo} was accepted`));
  }

  /**
   * Resolves with the profit-sharing return `outReturnNo` (of `sub_mchid`) once it succeeded, as
   * its query answers it (still `PROCESSING` if the sandbox closed first). Rejects with a
   * {@link SandboxFlowError} `NOT_FOUND` for a return never accepted.
   */
  profitSharingReturnSettled(outReturnNo: string, options: { sub_mchid?: string } = {}): Promise<SharingReturnAnswer> {
    const sharingReturn = this.sharing.findReturn(outReturnNo, options.sub_mchid);
    const settlement = sharingReturn && this.returnSettlements.get(sharingReturn);
    return settlement ?? Promise.reject(new SandboxFlowError('NOT_FOUND', `no profit-sharing return ${outReturnNo} was accepted`));
  }

  /** Stops whatever is pending: refunds and profit sharing stay `PROCESSING`, notifications are no longer retried. */
  close(): void {
    this.refunding.stop();
    this.sharingSteps.stop();
    this.courier.cancel();
  }

  /** Carries an accepted refund on: after the delay it ends, then its notification goes out. */
  private settle(refund: SandboxRefund): void {
    const status = this.abnormalToCome > 0 ? 'ABNORMAL' : 'SUCCESS';
    if (status === 'ABNORMAL') this.abnormalToCome -= 1;
    const settlement = this.refunding.after(
      async (): Promise<RefundOutcome> => {
        this.ledger.finishRefund(refund, status);
        const event = { event_type: `REFUND.${status}`, resource_type: 'refund', summary: status === 'SUCCESS' ? '退款成功' : '退款异常', resource: refundResource(refund) };
        // A mini program's combined order may have no notify_url: a refund of it asked without one is notified nowhere.
        const url = refund.notify_url ?? refund.order.notify_url;
        return { refund: refundAnswer(refund), delivery: url === '' ? undefined : await this.courier.deliver(url, event) };
      },
      () => ({ refund: refundAnswer(refund) }),
    );
    this.settlements.set(refund, settlement);
  }

  /** Carries an accepted profit-sharing order (or unfreeze) on: after the delay every share has reached its receiver. */
  private finishSharing(order: SandboxSharingOrder): void {
    this.sharingSettlements.set(order, this.afterSharingDelay(() => this.sharing.finishOrder(order), () => sharingAnswer(order)));
  }

  /** Carries an accepted return on: after the delay the money is back with the sharer. */
  private finishReturn(sharingReturn: SandboxSharingReturn): void {
    this.returnSettlements.set(sharingReturn, this.afterSharingDelay(() => this.sharing.finishReturn(sharingReturn), () => sharingReturnAnswer(sharingReturn)));
  }

  /** Runs `finish` after the profit-sharing delay; resolves with `answer()` then, or at once if the sandbox closed first. */
  private afterSharingDelay<T>(finish: () => void, answer: () => T): Promise<T> {
    const finished = () => {
      finish();
      return answer();
    };
    return this.sharingSteps.after(finished, answer);
  }
}
