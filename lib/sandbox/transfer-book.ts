import type { Endpoints } from '@wechatpay-ts/openapi-types/endpoints';
import type { TransferBillResource } from '../v3/notification-resources';
import { canonical } from './canonical-json';
import { chinaTime } from './china-time';
import { SandboxFlowError } from './flow-error';
import { GatewayRefusal } from './gateway-refusal';
import { transferBillNo, transferPackage } from './trade-ids';

/**
 * Where a transfer bill stands: waiting for the payee to confirm on WeChat's page, then paid
 * (`SUCCESS`) or failed (`FAIL`); or, cancelled by the merchant first, `CANCELING` for a moment
 * and then `CANCELLED`.
 */
export type TransferState = 'WAIT_USER_CONFIRM' | 'SUCCESS' | 'FAIL' | 'CANCELING' | 'CANCELLED';

/** The states a bill ends in; its `MCHTRANSFER.BILL.FINISHED` notification goes out on reaching one. */
export type FinalTransferState = 'SUCCESS' | 'FAIL' | 'CANCELLED';

/** What `sandbox.confirmTransfer()` may make of a bill: the payee confirmed and got the money, or the transfer failed. */
export type TransferOutcomeState = 'SUCCESS' | 'FAIL';

/** Every {@link TransferOutcomeState}, for checking what a test asks for. */
export const TRANSFER_OUTCOMES: readonly TransferOutcomeState[] = ['SUCCESS', 'FAIL'];

/** A transfer as the merchant asked for it (`user_name` decrypted). */
export interface TransferDraft {
  appid: string;
  out_bill_no: string;
  openid: string;
  /** The payee's name, as decrypted from the request. */
  user_name?: string;
  transfer_amount: number;
  transfer_remark: string;
  notify_url?: string;
  user_recv_perception?: string;
  transfer_scene_id: string;
  transfer_scene_report_infos: Array<{ info_type: string; info_content: string }>;
}

/** A transfer bill the sandbox holds. */
export interface SandboxTransfer extends TransferDraft {
  readonly mch_id: string;
  /** The request in a canonical form, to tell the same request sent again from another under the same number. */
  readonly fingerprint: string;
  readonly transfer_bill_no: string;
  readonly package_info: string;
  readonly created_at: Date;
  state: TransferState;
  updated_at: Date;
  fail_reason?: string;
}

/** A bill as both query calls answer it. */
export type TransferAnswer = Endpoints['v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{out_bill_no}']['get']['data'];

/** A bill as the transfer call answers it. */
export type TransferPlaced = Endpoints['v3/fund-app/mch-transfer/transfer-bills']['post']['data'];

/** A bill as the cancel call answers it. */
export type TransferCancelAnswer = Endpoints['v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{out_bill_no}/cancel']['post']['data'];

/** Why a transfer fails when the test asks for a failure: the payee's account cannot take it. */
const FAIL_REASON = 'PAYEE_ACCOUNT_ABNORMAL';

/**
 * The merchant's transfer bills (商家转账) and the rules the gateway applies to them: a bill
 * number is used once (the same request sent again answers the same bill), a bill waits for its
 * payee until confirmed or cancelled, and only a bill still waiting can be cancelled. State lives
 * in this process only.
 */
export class TransferBook {
  private readonly bills = new Map<string, SandboxTransfer>();
  private readonly byBillNo = new Map<string, SandboxTransfer>();
  private sequence = 0;

  constructor(
    private readonly mch_id: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Places a bill, waiting for its payee, or answers the one already placed under its number
   * when the request is the same; another request under a used number is refused (400
   * `INVALID_REQUEST`).
   */
  place(draft: TransferDraft): SandboxTransfer | GatewayRefusal {
    const fingerprint = canonical(draft);
    const known = this.bills.get(draft.out_bill_no);
    if (known) return known.fingerprint === fingerprint ? known : new GatewayRefusal(400, 'INVALID_REQUEST', '商户单号已用于另一笔转账');
    const created_at = this.now();
    const bill: SandboxTransfer = {
      ...draft,
      mch_id: this.mch_id,
      fingerprint,
      transfer_bill_no: transferBillNo(++this.sequence, created_at),
      package_info: transferPackage(),
      created_at,
      updated_at: created_at,
      state: 'WAIT_USER_CONFIRM',
    };
    this.bills.set(bill.out_bill_no, bill);
    this.byBillNo.set(bill.transfer_bill_no, bill);
    return bill;
  }

  /** The bill of `out_bill_no`. */
  bill(out_bill_no: string): SandboxTransfer | undefined {
    return this.bills.get(out_bill_no);
  }

  /** The bill WeChat Pay numbered `transfer_bill_no`. */
  billByNo(transfer_bill_no: string): SandboxTransfer | undefined {
    return this.byBillNo.get(transfer_bill_no);
  }

  /**
   * What the payee did with a waiting bill: confirmed it and got the money (`SUCCESS`), or the
   * transfer failed (`FAIL`). Throws a {@link SandboxFlowError} `NOT_CONFIRMABLE` for a bill no
   * longer waiting.
   */
  confirm(bill: SandboxTransfer, outcome: TransferOutcomeState): void {
    if (bill.state !== 'WAIT_USER_CONFIRM') throw new SandboxFlowError('NOT_CONFIRMABLE', `transfer ${bill.out_bill_no} is ${bill.state}, not WAIT_USER_CONFIRM`);
    this.enter(bill, outcome);
    if (outcome === 'FAIL') bill.fail_reason = FAIL_REASON;
  }

  /**
   * Starts cancelling a bill still waiting for its payee (`CANCELING`), true if it did; a bill
   * already cancelling or cancelled is no error (false). A bill paid or failed refuses with 400
   * `INVALID_REQUEST`.
   */
  cancel(bill: SandboxTransfer): boolean | GatewayRefusal {
    if (bill.state === 'CANCELING' || bill.state === 'CANCELLED') return false;
    if (bill.state !== 'WAIT_USER_CONFIRM') return new GatewayRefusal(400, 'INVALID_REQUEST', '转账单已终态，无法撤销');
    this.enter(bill, 'CANCELING');
    return true;
  }

  /** Ends a cancelling bill: `CANCELLED`. */
  finishCancel(bill: SandboxTransfer): void {
    this.enter(bill, 'CANCELLED');
  }

  private enter(bill: SandboxTransfer, state: TransferState): void {
    bill.state = state;
    bill.updated_at = this.now();
  }
}

/** A bill as the transfer call answers it: `package_info` while the payee has yet to confirm. */
export function transferPlaced(bill: SandboxTransfer): TransferPlaced {
  return {
    out_bill_no: bill.out_bill_no,
    transfer_bill_no: bill.transfer_bill_no,
    create_time: chinaTime(bill.created_at),
    state: bill.state,
    ...(bill.state === 'WAIT_USER_CONFIRM' ? { package_info: bill.package_info } : {}),
    ...(bill.fail_reason !== undefined ? { fail_reason: bill.fail_reason } : {}),
  };
}

/** A bill as both query calls answer it. */
export function transferAnswer(bill: SandboxTransfer): TransferAnswer {
  return {
    mch_id: bill.mch_id,
    out_bill_no: bill.out_bill_no,
    transfer_bill_no: bill.transfer_bill_no,
    appid: bill.appid,
    state: bill.state,
    transfer_amount: bill.transfer_amount,
    transfer_remark: bill.transfer_remark,
    ...(bill.fail_reason !== undefined ? { fail_reason: bill.fail_reason } : {}),
    openid: bill.openid,
    create_time: chinaTime(bill.created_at),
    update_time: chinaTime(bill.updated_at),
  };
}

/** A bill as the cancel call answers it. */
export function transferCancelAnswer(bill: SandboxTransfer): TransferCancelAnswer {
  return { out_bill_no: bill.out_bill_no, transfer_bill_no: bill.transfer_bill_no, state: bill.state === 'CANCELLED' ? 'CANCELLED' : 'CANCELING', update_time: chinaTime(bill.updated_at) };
}

/** A bill in its final state as its `MCHTRANSFER.BILL.FINISHED` notification carries it. */
export function transferResource(bill: SandboxTransfer): TransferBillResource {
  const { state } = bill;
  if (state !== 'SUCCESS' && state !== 'FAIL' && state !== 'CANCELLED') throw new RangeError(`transferResource: transfer ${bill.out_bill_no} is ${state}, not final`);
  return {
    mch_id: bill.mch_id,
    out_bill_no: bill.out_bill_no,
    transfer_bill_no: bill.transfer_bill_no,
    state,
    transfer_amount: bill.transfer_amount,
    openid: bill.openid,
    ...(bill.fail_reason !== undefined ? { fail_reason: bill.fail_reason } : {}),
    create_time: chinaTime(bill.created_at),
    update_time: chinaTime(bill.updated_at),
  };
}
