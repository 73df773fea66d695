import { DelayedSteps } from './delayed-steps';
import { SandboxFlowError } from './flow-error';
import { NotificationCourier, type DeliveryOutcome } from './notification-courier';
import type { FlowContext } from './payment-flows';
import type { Route } from './routes';
import type { SensitiveRouteKeys } from './sensitive-routes';
import { checkFields, oneOf, optional } from './argument-checks';
import { TRANSFER_OUTCOMES, TransferBook, transferAnswer, transferResource, type SandboxTransfer, type TransferAnswer, type TransferOutcomeState } from './transfer-book';
import { transferRoutes } from './transfer-routes';

/** How the sandbox paces transfers; every option has a default fit for tests. */
export interface TransferFlowOptions {
  /** The waits between attempts at a notification the merchant did not acknowledge (see `PaymentFlowOptions.notifySchedule`). */
  notifySchedule?: readonly number[];
  /** How long a cancelled bill stays `CANCELING` before it is `CANCELLED`, in milliseconds; 20 by default. */
  transferCancelDelayMs?: number;
}

/** What `sandbox.confirmTransfer()` and `sandbox.transferSettled()` resolve with. */
export interface TransferOutcome {
  /** The bill once it ended, as the query calls answer it (as it stood, if the sandbox closed first). */
  bill: TransferAnswer;
  /** How delivering its `MCHTRANSFER.BILL.FINISHED` notification ended; absent when the bill has no `notify_url`, or the sandbox closed first. */
  delivery?: DeliveryOutcome;
}

const CANCEL_DELAY_MS = 20;

/** A bill's end, awaited by tests before it comes. */
interface Ending {
  promise: Promise<TransferOutcome>;
  resolve(outcome: TransferOutcome | Promise<TransferOutcome>): void;
}

/**
 * The merchant's transfers (商家转账), end to end: bills placed, queried and cancelled over HTTP;
 * each waits for its payee until the test confirms it (`confirm()`), or ends `CANCELLED` a moment
 * after the merchant cancelled it; every end is notified as `MCHTRANSFER.BILL.FINISHED` to the
 * bill's `notify_url`, with the gateway's retries. `close()` stops whatever is still pending.
 */
export class TransferFlows {
  private readonly book: TransferBook;
  private readonly courier: NotificationCourier;
  private readonly cancelling: DelayedSteps;
  private readonly endings = new Map<SandboxTransfer, Ending>();
  private closed = false;

  constructor(
    context: FlowContext,
    options: TransferFlowOptions = {},
  ) {
    this.book = new TransferBook(context.mchid);
    this.courier = new NotificationCourier(context.send, { schedule: options.notifySchedule });
    this.cancelling = new DelayedSteps(options.transferCancelDelayMs ?? CANCEL_DELAY_MS);
  }

  /** The transfer routes to register; `keys` decrypt the payee's name. */
  routes(keys: SensitiveRouteKeys): Route[] {
    return transferRoutes(this.book, keys, (bill) => {
      const cancelled = () => {
        this.book.finishCancel(bill);
        return this.notifyEnd(bill);
      };
      this.ending(bill).resolve(this.cancelling.after(cancelled, () => ({ bill: transferAnswer(bill) })));
    });
  }

  /**
   * Acts as the payee of the waiting bill `outBillNo`: `SUCCESS` (the default) confirms it and
   * the money arrives; `FAIL` fails it. Either way its `MCHTRANSFER.BILL.FINISHED` notification
   * goes to its `notify_url`, retried until acknowledged. Resolves once that delivery ended.
   * Rejects with a {@link SandboxFlowError}: `NOT_FOUND` for an unknown bill, `NOT_CONFIRMABLE`
   * for one no longer waiting.
   */
  async confirm(outBillNo: string, options: { outcome?: TransferOutcomeState } = {}): Promise<TransferOutcome> {
    checkFields(options, { outcome: optional(oneOf(TRANSFER_OUTCOMES)) }, { name: 'sandbox.confirmTransfer(): options', expected: 'an object with outcome', takes: 'sandbox.confirmTransfer() takes' });
    const bill = this.book.bill(outBillNo);
    if (!bill) throw notFound(outBillNo);
    this.book.confirm(bill, options.outcome ?? 'SUCCESS');
    const ending = this.ending(bill);
    ending.resolve(this.notifyEnd(bill));
    return ending.promise;
  }

  /**
   * Resolves once the bill `outBillNo` ended (confirmed by {@link confirm}, or cancelled by the
   * merchant) and its notification was acknowledged, given up on or cancelled; a bill still
   * waiting is waited for. Rejects with a {@link SandboxFlowError} `NOT_FOUND` for an unknown bill.
   */
  settled(outBillNo: string): Promise<TransferOutcome> {
    const bill = this.book.bill(outBillNo);
    return bill ? this.ending(bill).promise : Promise.reject(notFound(outBillNo));
  }

  /** Stops whatever is pending: cancelled bills stay `CANCELING`, notifications are no longer retried, bills still waiting stay so. */
  close(): void {
    this.closed = true;
    this.cancelling.stop();
    this.courier.cancel();
    for (const [bill, ending] of this.endings) ending.resolve({ bill: transferAnswer(bill) });
  }

  /** The end of `bill`, awaited from the first time anyone asks; once closed, the bill as it stands. */
  private ending(bill: SandboxTransfer): Ending {
    const known = this.endings.get(bill);
    if (known) return known;
    const created = ending();
    this.endings.set(bill, created);
    if (this.closed) created.resolve({ bill: transferAnswer(bill) });
    return created;
  }

  /** Notifies the end of a bill, where the bill asked to be told. */
  private async notifyEnd(bill: SandboxTransfer): Promise<TransferOutcome> {
    const url = bill.notify_url;
    if (url === undefined) return { bill: transferAnswer(bill) };
    const delivery = await this.courier.deliver(url, { event_type: 'MCHTRANSFER.BILL.FINISHED', resource_type: 'mch_payment', summary: '商家转账单据终态通知', resource: transferResource(bill) });
    return { bill: transferAnswer(bill), delivery };
  }
}

/** An end not come yet, with what brings it. */
function ending(): Ending {
  let resolve!: Ending['resolve'];
  const promise = new Promise<TransferOutcome>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** The error of a step asked of a bill never placed. */
function notFound(outBillNo: string): SandboxFlowError {
  return new SandboxFlowError('NOT_FOUND', `no transfer ${outBillNo} was placed`);
}
