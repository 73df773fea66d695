// The ledger's rules, without HTTP: order numbers used once per merchant, the states an order
// goes through, refunds never beyond what is left, and which day each entry falls on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayRefusal } from '../../lib/sandbox/gateway-refusal';
import { SandboxFlowError } from '../../lib/sandbox/flow-error';
import { refundable, TradeLedger, type OrderDraft, type RefundDraft, type SandboxOrder, type SandboxRefund } from '../../lib/sandbox/trade-ledger';

function draft(out_trade_no: string, fields: Partial<OrderDraft> = {}): OrderDraft {
  return { product: 'jsapi', merchant: { mchid: '1900000001', appid: 'wx1' }, out_trade_no, description: 'a cup of tea', notify_url: 'https://merchant.example/notify', amount: { total: 1000, currency: 'CNY' }, payer: { openid: 'o-payer' }, ...fields };
}

function placed(ledger: TradeLedger, order: OrderDraft): SandboxOrder {
  const result = ledger.place(order, { ...order });
  assert.ok(!(result instanceof GatewayRefusal), `placed ${order.out_trade_no}`);
  return result;
}

function refunded(ledger: TradeLedger, request: RefundDraft): SandboxRefund {
  const result = ledger.refund(request);
  assert.ok(!(result instanceof GatewayRefusal), `refunded ${request.out_refund_no}: ${result instanceof GatewayRefusal ? result.message : ''}`);
  return result;
}

function refusal(result: unknown): { status: number; code: string; message: string } {
  assert.ok(result instanceof GatewayRefusal, 'a refusal');
  return { status: result.status, code: result.code, message: result.message };
}

const money = (refund: number, total = 1000) => ({ refund, total, currency: 'CNY' });

describe('the trade ledger', () => {
  it('places an order NOTPAY with a prepay_id, and answers the same order placed again with the same one', () => {
    const ledger = new TradeLedger();
    const order = placed(ledger, draft('T-SAME-01'));
    assert.equal(order.trade_state, 'NOTPAY');
    assert.equal(order.trade_state_desc, '订单未支付');
    assert.match((order.prepay as { prepay_id: string }).prepay_id, /^wx\d{14}[0-9a-f]{20}$/);
    const body = { out_trade_no: 'T-SAME-01', b: 1, a: { y: 2, x: 1 } };
    const again = new TradeLedger();
    const first = again.place(draft('T-SAME-01'), body);
    assert.equal(again.place(draft('T-SAME-01'), { a: { x: 1, y: 2 }, b: 1, out_trade_no: 'T-SAME-01' }), first, 'keys in another order are the same body');
  });

  it('answers each product with its own prepay answer', () => {
    const ledger = new TradeLedger();
    assert.deepEqual(Object.keys(placed(ledger, draft('T-APP-001', { product: 'app' })).prepay), ['prepay_id']);
    assert.match((placed(ledger, draft('T-H5-0001', { product: 'h5' })).prepay as { h5_url: string }).h5_url, /^https:\/\/wx\.tenpay\.com\/.+prepay_id=wx/);
    assert.match((placed(ledger, draft('T-NATIVE1', { product: 'native' })).prepay as { code_url: string }).code_url, /^weixin:\/\/wxpay\/bizpayurl\?pr=/);
  });

  it('refuses an order number used for another body (403 OUT_TRADE_NO_USED), or for another product', () => {
    const ledger = new TradeLedger();
    ledger.place(draft('T-DUP-001'), { total: 1000 });
    assert.deepEqual(refusal(ledger.place(draft('T-DUP-001'), { total: 1001 })), { status: 403, code: 'OUT_TRADE_NO_USED', message: '商户订单号重复' });
    assert.equal(refusal(ledger.place(draft('T-DUP-001', { product: 'app' }), { total: 1000 })).code, 'OUT_TRADE_NO_USED');
  });

  it('numbers orders per merchant: a sub-merchant may use a number the direct merchant used', () => {
    const ledger = new TradeLedger();
    const direct = placed(ledger, draft('T-SCOPE-1'));
    const partner = placed(ledger, draft('T-SCOPE-1', { merchant: { sp_mchid: '1900000001', sp_appid: 'wxsp', sub_mchid: '1900000109' }, payer: { sp_openid: 'o-sp' } }));
    assert.notEqual(direct, partner);
    assert.equal(ledger.order('T-SCOPE-1'), direct);
    assert.equal(ledger.order('T-SCOPE-1', '1900000109'), partner);
    assert.equal(ledger.order('T-SCOPE-1', '1900000999'), undefined);
  });

  it('pays an order: transaction_id, success_time, bank and payer; findable by transaction_id for its merchant only', () => {
    const ledger = new TradeLedger();
    const order = placed(ledger, draft('T-PAY-001', { product: 'native', payer: undefined }));
    ledger.settle(order, 'SUCCESS');
    assert.equal(order.trade_state, 'SUCCESS');
    assert.match(order.transaction_id ?? '', /^4200\d{24}$/);
    assert.ok(order.success_time instanceof Date);
    assert.equal(order.bank_type, 'OTHERS');
    assert.match(order.payer?.openid ?? '', /^o[\w-]{27}$/, 'a Native payer gets an openid when paying');
    assert.equal(ledger.transaction(order.transaction_id ?? ''), order);
    assert.equal(ledger.transaction(order.transaction_id ?? '', '1900000109'), undefined);
  });

  it('fails or closes an unpaid order, and lets no order be paid twice', () => {
    const ledger = new TradeLedger();
    const failed = placed(ledger, draft('T-FAIL-01'));
    ledger.settle(failed, 'PAYERROR');
    assert.deepEqual([failed.trade_state, failed.trade_state_desc, failed.transaction_id], ['PAYERROR', '支付失败', undefined]);
    const closed = placed(ledger, draft('T-CLOSE-1'));
    ledger.settle(closed, 'CLOSED');
    assert.equal(closed.trade_state, 'CLOSED');
    for (const order of [failed, closed]) assert.throws(() => ledger.settle(order, 'SUCCESS'), (error: unknown) => error instanceof SandboxFlowError && error.code === 'NOT_PAYABLE');
  });

  it('closes unpaid orders (twice is no error), refuses to close a paid one, and to place a closed or paid number again', () => {
    const ledger = new TradeLedger();
    const unpaid = placed(ledger, draft('T-CLOSE-2'));
    assert.equal(ledger.close(unpaid), undefined);
    assert.equal(ledger.close(unpaid), undefined);
    assert.equal(unpaid.trade_state, 'CLOSED');
    assert.deepEqual(refusal(ledger.place(draft('T-CLOSE-2'), {})), { status: 400, code: 'ORDER_CLOSED', message: '订单已关闭' });
    const paid = placed(ledger, draft('T-CLOSE-3'));
    ledger.settle(paid, 'SUCCESS');
    assert.deepEqual(refusal(ledger.close(paid)), { status: 400, code: 'ORDERPAID', message: '订单已支付' });
    assert.equal(refusal(ledger.place(draft('T-CLOSE-3'), {})).code, 'ORDERPAID');
  });

  it('refunds a paid order in parts, by out_trade_no or transaction_id, never beyond what is left', () => {
    const ledger = new TradeLedger();
    const order = placed(ledger, draft('T-REF-001'));
    ledger.settle(order, 'SUCCESS');
    const first = refunded(ledger, { out_trade_no: 'T-REF-001', out_refund_no: 'R-1', amount: money(300) });
    assert.deepEqual([first.status, order.trade_state, order.trade_state_desc, refundable(order)], ['PROCESSING', 'REFUND', '转入退款', 700]);
    assert.match(first.refund_id, /^50\d{27}$/);
    refunded(ledger, { transaction_id: order.transaction_id, out_refund_no: 'R-2', amount: money(600) });
    assert.deepEqual(refusal(ledger.refund({ out_trade_no: 'T-REF-001', out_refund_no: 'R-3', amount: money(101) })), { status: 400, code: 'INVALID_REQUEST', message: '申请退款金额超过订单可退金额' });
    refunded(ledger, { out_trade_no: 'T-REF-001', out_refund_no: 'R-3', amount: money(100) });
    assert.equal(refundable(order), 0);
    assert.deepEqual(order.refunds.map((refund) => refund.out_refund_no), ['R-1', 'R-2', 'R-3']);
  });

  it('answers the same refund asked again, and refuses its number for another amount or a total that is not the order’s', () => {
    const ledger = new TradeLedger();
    const order = placed(ledger, draft('T-REF-002'));
    ledger.settle(order, 'SUCCESS');
    const refund = refunded(ledger, { out_trade_no: 'T-REF-002', out_refund_no: 'R-SAME', amount: money(100) });
    assert.equal(ledger.refund({ out_trade_no: 'T-REF-002', out_refund_no: 'R-SAME', amount: money(100) }), refund);
    assert.equal(refundable(order), 900, 'the repeat refunded nothing more');
    assert.equal(refusal(ledger.refund({ out_trade_no: 'T-REF-002', out_refund_no: 'R-SAME', amount: money(200) })).code, 'INVALID_REQUEST');
    assert.equal(refusal(ledger.refund({ out_trade_no: 'T-REF-002', out_refund_no: 'R-TOTAL', amount: money(100, 999) })).code, 'INVALID_REQUEST');
  });

  it('refunds no order unknown or unpaid (404 RESOURCE_NOT_EXISTS)', () => {
    const ledger = new TradeLedger();
    placed(ledger, draft('T-UNPAID1'));
    for (const request of [{ out_trade_no: 'T-UNPAID1' }, { out_trade_no: 'T-NOWHERE' }, { transaction_id: '4200000000000000000000000000' }]) {
      assert.deepEqual(refusal(ledger.refund({ ...request, out_refund_no: 'R-X', amount: money(1) })), { status: 404, code: 'RESOURCE_NOT_EXISTS', message: '订单不存在或未支付' });
    }
  });

  it('ends a refund SUCCESS with its success_time, or ABNORMAL without one', () => {
    const ledger = new TradeLedger();
    const order = placed(ledger, draft('T-REF-003'));
    ledger.settle(order, 'SUCCESS');
    const ok = refunded(ledger, { out_trade_no: 'T-REF-003', out_refund_no: 'R-OK', amount: money(1) });
    const bad = refunded(ledger, { out_trade_no: 'T-REF-003', out_refund_no: 'R-BAD', amount: money(1) });
    ledger.finishRefund(ok, 'SUCCESS');
    ledger.finishRefund(bad, 'ABNORMAL');
    assert.deepEqual([ok.status, ok.success_time instanceof Date, bad.status, bad.success_time], ['SUCCESS', true, 'ABNORMAL', undefined]);
    assert.equal(ledger.findRefund('R-OK'), ok);
    assert.equal(ledger.findRefund('R-OK', '1900000109'), undefined);
  });

  it('puts payments on the Beijing day they were paid, refunds on the day they were accepted', () => {
    let now = new Date('2026-11-27T15:59:59Z'); // 23:59:59 in Beijing
    const ledger = new TradeLedger(() => now);
    const late = placed(ledger, draft('T-DAY-001'));
    ledger.settle(late, 'SUCCESS');
    now = new Date('2026-11-27T16:00:00Z'); // midnight in Beijing: the next day
    refunded(ledger, { out_trade_no: 'T-DAY-001', out_refund_no: 'R-DAY', amount: money(10) });
    const partner = placed(ledger, draft('T-DAY-002', { merchant: { sp_mchid: '1900000001', sp_appid: 'wxsp', sub_mchid: '1900000109' } }));
    ledger.settle(partner, 'SUCCESS');
    placed(ledger, draft('T-DAY-003'));
    const first = ledger.day('2026-11-27');
    assert.deepEqual([first.payments.map((order) => order.out_trade_no), first.refunds.length], [['T-DAY-001'], 0]);
    const second = ledger.day('2026-11-28');
    assert.deepEqual([second.payments.map((order) => order.out_trade_no), second.refunds.map((refund) => refund.out_refund_no)], [['T-DAY-002'], ['R-DAY']]);
    assert.deepEqual(ledger.day('2026-11-28', '1900000109').payments.map((order) => order.out_trade_no), ['T-DAY-002']);
    assert.deepEqual(ledger.day('2026-11-28', '1900000109').refunds, []);
  });
});
