// The transfer book's rules, without HTTP: a bill number used once, a bill waiting for its payee
// until confirmed or cancelled, cancelling only while it waits, and the answers of each state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SandboxFlowError } from '../../lib/sandbox/flow-error';
import { GatewayRefusal } from '../../lib/sandbox/gateway-refusal';
import { TransferBook, transferAnswer, transferCancelAnswer, transferPlaced, transferResource, type SandboxTransfer, type TransferDraft } from '../../lib/sandbox/transfer-book';

function draft(out_bill_no: string, fields: Partial<TransferDraft> = {}): TransferDraft {
  return {
    appid: 'wxf636efh567hg4356',
    out_bill_no,
    openid: 'o-MYE42l80oelYMDE34nYD456Xoy',
    transfer_amount: 500,
    transfer_remark: '注册会员有礼',
    transfer_scene_id: '1000',
    transfer_scene_report_infos: [{ info_type: '活动名称', info_content: '注册会员有礼' }],
    ...fields,
  };
}

function placed(book: TransferBook, bill: TransferDraft): SandboxTransfer {
  const result = book.place(bill);
  assert.ok(!(result instanceof GatewayRefusal), `placed ${bill.out_bill_no}`);
  return result;
}

/** A clock that moves on a second each time it is read. */
function ticking(): () => Date {
  let at = Date.UTC(2026, 10, 28, 2, 0, 0);
  return () => new Date((at += 1000));
}

describe('TransferBook', () => {
  it('places a bill waiting for its payee, numbered by WeChat Pay, with the package the confirmation page takes', () => {
    const bill = placed(new TransferBook('1900000001', ticking()), draft('TB0001'));
    assert.equal(bill.state, 'WAIT_USER_CONFIRM');
    assert.match(bill.transfer_bill_no, /^1330\d{36}$/);
    const answer = transferPlaced(bill);
    assert.deepEqual(Object.keys(answer), ['out_bill_no', 'transfer_bill_no', 'create_time', 'state', 'package_info']);
    assert.equal(answer.create_time, '2026-11-28T10:00:01+08:00');
    assert.ok((answer.package_info ?? '').length > 32);
  });

  it('answers the same bill to the same request sent again, and refuses the number for another (400 INVALID_REQUEST)', () => {
    const book = new TransferBook('1900000001');
    const first = placed(book, draft('TB0002', { user_name: '张三' }));
    assert.equal(book.place(draft('TB0002', { user_name: '张三' })), first);
    const other = book.place(draft('TB0002', { user_name: '李四' }));
    assert.ok(other instanceof GatewayRefusal);
    assert.deepEqual([other.status, other.code], [400, 'INVALID_REQUEST']);
    assert.equal(book.billByNo(first.transfer_bill_no), first);
  });

  it('pays a confirmed bill, or fails it with a reason, once only (NOT_CONFIRMABLE after)', () => {
    const book = new TransferBook('1900000001', ticking());
    const paid = placed(book, draft('TB0003'));
    book.confirm(paid, 'SUCCESS');
    assert.deepEqual([paid.state, paid.fail_reason], ['SUCCESS', undefined]);
    assert.throws(() => book.confirm(paid, 'SUCCESS'), (error: unknown) => error instanceof SandboxFlowError && error.code === 'NOT_CONFIRMABLE');
    const failed = placed(book, draft('TB0004'));
    book.confirm(failed, 'FAIL');
    assert.deepEqual([failed.state, failed.fail_reason], ['FAIL', 'PAYEE_ACCOUNT_ABNORMAL']);
    assert.equal(transferPlaced(failed).package_info, undefined, 'no confirmation page once the bill ended');
    assert.equal(transferResource(failed).fail_reason, 'PAYEE_ACCOUNT_ABNORMAL');
  });

  it('cancels a waiting bill (CANCELING, then CANCELLED), takes a second cancel as no error, and refuses to cancel a paid one', () => {
    const book = new TransferBook('1900000001', ticking());
    const bill = placed(book, draft('TB0005'));
    assert.equal(book.cancel(bill), true);
    assert.deepEqual(transferCancelAnswer(bill).state, 'CANCELING');
    assert.throws(() => transferResource(bill), RangeError, 'a cancelling bill has not ended');
    assert.equal(book.cancel(bill), false);
    book.finishCancel(bill);
    assert.deepEqual([transferCancelAnswer(bill).state, transferAnswer(bill).state, transferResource(bill).state], ['CANCELLED', 'CANCELLED', 'CANCELLED']);
    assert.throws(() => book.confirm(bill, 'SUCCESS'), SandboxFlowError);
    const paid = placed(book, draft('TB0006'));
    book.confirm(paid, 'SUCCESS');
    const refusal = book.cancel(paid);
    assert.ok(refusal instanceof GatewayRefusal);
    assert.deepEqual([refusal.status, refusal.code], [400, 'INVALID_REQUEST']);
  });

  it('reports a state change as the bill’s update_time', () => {
    const book = new TransferBook('1900000001', ticking());
    const bill = placed(book, draft('TB0007'));
    const before = transferAnswer(bill);
    assert.equal(before.update_time, before.create_time);
    book.confirm(bill, 'SUCCESS');
    assert.equal(transferAnswer(bill).update_time, '2026-11-28T10:00:02+08:00');
    assert.deepEqual(transferResource(bill), {
      mch_id: '1900000001',
      out_bill_no: 'TB0007',
      transfer_bill_no: bill.transfer_bill_no,
      state: 'SUCCESS',
      transfer_amount: 500,
      openid: 'o-MYE42l80oelYMDE34nYD456Xoy',
      create_time: '2026-11-28T10:00:01+08:00',
      update_time: '2026-11-28T10:00:02+08:00',
    });
  });
});
