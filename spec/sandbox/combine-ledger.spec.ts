// The combined orders' rules, without HTTP: a combined order placed once (as an order is), its
// sub-orders orders of the trade ledger placed all or none, paid as one by one payer, and closed
// only as placed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { combinedAnswer, combinedResource } from '../../lib/sandbox/combine-answers';
import { CombineLedger, combinedState, type CombinedDraft, type SandboxCombinedOrder, type SubOrderDraft } from '../../lib/sandbox/combine-ledger';
import { SandboxFlowError } from '../../lib/sandbox/flow-error';
import { GatewayRefusal } from '../../lib/sandbox/gateway-refusal';
import { TradeLedger } from '../../lib/sandbox/trade-ledger';

const MCHID = '1900000001';
const SUB_MCHID = '1900000109';

function subOrder(out_trade_no: string, sub_mchid?: string): SubOrderDraft {
  const merchant = sub_mchid ? { sp_mchid: MCHID, sp_appid: 'wx1', sub_mchid } : { mchid: MCHID, appid: 'wx1' };
  return { order: { merchant, out_trade_no, description: 'tea', notify_url: 'https://merchant.example/notify', attach: 'shop', amount: { total: 100, currency: 'CNY' } } };
}

function draft(combine_out_trade_no: string, fields: Partial<CombinedDraft> = {}): CombinedDraft {
  return { product: 'native', combine_appid: 'wx1', combine_mchid: MCHID, combine_out_trade_no, notify_url: 'https://merchant.example/notify', sub_orders: [subOrder(`${combine_out_trade_no}-1`), subOrder(`${combine_out_trade_no}-2`, SUB_MCHID)], ...fields };
}

function placed(ledger: CombineLedger, order: CombinedDraft): SandboxCombinedOrder {
  const result = ledger.place(order, { ...order });
  assert.ok(!(result instanceof GatewayRefusal), `placed ${order.combine_out_trade_no}: ${result instanceof GatewayRefusal ? result.message : ''}`);
  return result;
}

function refusal(result: unknown): [number, string] {
  assert.ok(result instanceof GatewayRefusal, 'a refusal');
  return [result.status, result.code];
}

describe('the combine ledger', () => {
  it('places each sub-order as an order of the trade ledger, NOTPAY, all with the combined order’s prepay, of the combined order’s product', () => {
    const trades = new TradeLedger();
    const combined = placed(new CombineLedger(trades), draft('C-LEDGER-01', { product: 'miniprogram' }));
    const [one, two] = combined.sub_orders.map(({ order }) => order);
    assert.equal(trades.order('C-LEDGER-01-1'), one);
    assert.equal(trades.order('C-LEDGER-01-2', SUB_MCHID), two);
    assert.deepEqual([one.trade_state, two.trade_state, combinedState(combined)], ['NOTPAY', 'NOTPAY', 'NOTPAY']);
    assert.deepEqual([one.prepay, two.prepay], [combined.prepay, combined.prepay]);
    assert.deepEqual([one.product, one.combine_out_trade_no], ['jsapi', 'C-LEDGER-01']);
    assert.match(combined.combine_transaction_id, /^4200\d{24}$/);
  });

  it('answers the same combined order placed again, spelt in another key order, and refuses another body (403), a paid one (400 ORDERPAID), a closed one (400 ORDER_CLOSED)', () => {
    const ledger = new CombineLedger(new TradeLedger());
    const body = { b: 1, a: { y: 2, x: 1 } };
    const first = ledger.place(draft('C-LEDGER-02'), body);
    assert.equal(ledger.place(draft('C-LEDGER-02'), { a: { x: 1, y: 2 }, b: 1 }), first);
    assert.deepEqual(refusal(ledger.place(draft('C-LEDGER-02'), { b: 2 })), [403, 'OUT_TRADE_NO_USED']);
    ledger.settle(first as SandboxCombinedOrder, 'SUCCESS');
    assert.deepEqual(refusal(ledger.place(draft('C-LEDGER-02'), body)), [400, 'ORDERPAID']);
    const shut = placed(ledger, draft('C-LEDGER-03'));
    assert.equal(ledger.close(shut, 'wx1', shut.sub_orders.map(({ order }, index) => ({ mchid: MCHID, out_trade_no: order.out_trade_no, ...(index === 1 ? { sub_mchid: SUB_MCHID } : {}) }))), undefined);
    assert.deepEqual(refusal(ledger.place(draft('C-LEDGER-03'), { ...draft('C-LEDGER-03') })), [400, 'ORDER_CLOSED']);
  });

  it('places no sub-order at all when one number is already an order’s', () => {
    const trades = new TradeLedger();
    const ledger = new CombineLedger(trades);
    placed(ledger, draft('C-LEDGER-04'));
    const clash = draft('C-LEDGER-05', { sub_orders: [subOrder('C-LEDGER-05-1'), subOrder('C-LEDGER-04-2', SUB_MCHID)] });
    assert.deepEqual(refusal(ledger.place(clash, { ...clash })), [403, 'OUT_TRADE_NO_USED']);
    assert.equal(trades.order('C-LEDGER-05-1'), undefined);
    assert.equal(ledger.find('C-LEDGER-05'), undefined);
    // The same number of the merchant's own is another order than its sub-merchant's.
    placed(ledger, draft('C-LEDGER-06', { sub_orders: [subOrder('C-LEDGER-04-2')] }));
  });

  it('pays every sub-order with one payer, named or not, each its own transaction_id; then refuses to pay it again', () => {
    const ledger = new CombineLedger(new TradeLedger());
    const combined = placed(ledger, draft('C-LEDGER-07'));
    ledger.settle(combined, 'SUCCESS');
    const [one, two] = combined.sub_orders.map(({ order }) => order);
    const openid = combined.combine_payer_info?.openid;
    assert.ok(openid);
    assert.deepEqual([one.payer, two.payer], [{ openid }, { sp_openid: openid }]);
    assert.notEqual(one.transaction_id, two.transaction_id);
    assert.equal(combinedState(combined), 'SUCCESS');
    assert.throws(() => ledger.settle(combined, 'SUCCESS'), (error: unknown) => error instanceof SandboxFlowError && error.code === 'NOT_PAYABLE');
    const notice = combinedResource(combined);
    assert.equal('combine_transaction_id' in notice, false);
    assert.deepEqual(notice.combine_payer_info, { openid });
    assert.deepEqual(combinedAnswer(combined).sub_orders?.map(({ sub_mchid, transaction_id }) => [sub_mchid, transaction_id]), [[undefined, one.transaction_id], [SUB_MCHID, two.transaction_id]]);
  });

  it('closes only as placed: the same appid and every sub-order by merchant, sub-merchant and number (400 INVALID_REQUEST otherwise)', () => {
    const ledger = new CombineLedger(new TradeLedger());
    const combined = placed(ledger, draft('C-LEDGER-08'));
    const named = [
      { mchid: MCHID, out_trade_no: 'C-LEDGER-08-1' },
      { mchid: MCHID, out_trade_no: 'C-LEDGER-08-2', sub_mchid: SUB_MCHID },
    ];
    assert.deepEqual(refusal(ledger.close(combined, 'wx1', [named[0]])), [400, 'INVALID_REQUEST']);
    assert.deepEqual(refusal(ledger.close(combined, 'wx1', [named[0], { ...named[1], sub_mchid: undefined }])), [400, 'INVALID_REQUEST']);
    assert.deepEqual(refusal(ledger.close(combined, 'wx2', named)), [400, 'INVALID_REQUEST']);
    assert.equal(combinedState(combined), 'NOTPAY');
    assert.equal(ledger.close(combined, 'wx1', [...named].reverse()), undefined);
    assert.deepEqual(combined.sub_orders.map(({ order }) => order.trade_state), ['CLOSED', 'CLOSED']);
    assert.throws(() => combinedResource(combined), RangeError);
  });
});
