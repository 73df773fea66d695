// The profit-sharing ledger's rules, without HTTP: receivers added first, never beyond what is
// left of an order, nothing once unfrozen, returns at most what a merchant receiver got, and each
// number used once per merchant.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayRefusal } from '../../lib/sandbox/gateway-refusal';
import { ProfitSharingLedger, type ReturnDraft, type SandboxSharingOrder, type SandboxSharingReturn, type SharingDraft } from '../../lib/sandbox/profit-sharing-ledger';
import { TradeLedger, type OrderMerchant } from '../../lib/sandbox/trade-ledger';

const SHOP = '1900000110';
const SUB_MCHID = '1900000109';
const AT = new Date('2026-11-28T02:00:00Z');

/** A trade ledger with one paid order of ¥10 (a sub-merchant's when named), and a profit-sharing ledger over it, both on a clock the test sets. */
function ledgers(sub_mchid?: string): { trades: TradeLedger; sharing: ProfitSharingLedger; transaction_id: string; clock: { now: Date } } {
  const clock = { now: AT };
  const trades = new TradeLedger(() => clock.now);
  const merchant: OrderMerchant = sub_mchid === undefined ? { mchid: '1900000001', appid: 'wx1' } : { sp_mchid: '1900000001', sp_appid: 'wxsp', sub_mchid };
  const order = trades.place({ product: 'native', merchant, out_trade_no: 'T-1', description: 'tea', notify_url: 'https://merchant.example/notify', amount: { total: 1000, currency: 'CNY' } }, {});
  assert.ok(!(order instanceof GatewayRefusal));
  trades.settle(order, 'SUCCESS');
  const sharing = new ProfitSharingLedger(trades, () => clock.now);
  sharing.addReceiver({ sub_mchid, type: 'MERCHANT_ID', account: SHOP, relation_type: 'STORE' });
  return { trades, sharing, transaction_id: order.transaction_id ?? '', clock };
}

function shareDraft(transaction_id: string, out_order_no: string, amounts: number[], fields: Partial<SharingDraft> = {}): SharingDraft {
  return { transaction_id, out_order_no, receivers: amounts.map((amount) => ({ type: 'MERCHANT_ID', account: SHOP, amount, description: '分给门店' })), unfreeze_unsplit: false, ...fields };
}

function shared(sharing: ProfitSharingLedger, draft: SharingDraft): SandboxSharingOrder {
  const result = sharing.share(draft, { ...draft });
  assert.ok(!(result instanceof GatewayRefusal), `shared ${draft.out_order_no}: ${result instanceof GatewayRefusal ? result.message : ''}`);
  return result;
}

function returned(sharing: ProfitSharingLedger, draft: ReturnDraft): SandboxSharingReturn {
  const result = sharing.returnShare(draft, { ...draft });
  assert.ok(!(result instanceof GatewayRefusal), `returned ${draft.out_return_no}: ${result instanceof GatewayRefusal ? result.message : ''}`);
  return result;
}

function refusal(result: unknown): [number, string, string] {
  assert.ok(result instanceof GatewayRefusal, 'a refusal');
  return [result.status, result.code, result.message];
}

describe('the profit-sharing ledger', () => {
  it('accepts a share PROCESSING with each receiver PENDING, and finishes it with each SUCCESS at the time it finished', () => {
    const { sharing, transaction_id, clock } = ledgers();
    const order = shared(sharing, shareDraft(transaction_id, 'P-1', [100, 200]));
    assert.equal(order.state, 'PROCESSING');
    assert.deepEqual(
      order.receivers.map(({ result, created_at, finished_at }) => [result, created_at, finished_at]),
      [
        ['PENDING', AT, undefined],
        ['PENDING', AT, undefined],
      ],
    );
    assert.notEqual(order.receivers[0].detail_id, order.receivers[1].detail_id);
    clock.now = new Date(AT.getTime() + 1000);
    sharing.finishOrder(order);
    assert.equal(order.state, 'FINISHED');
    assert.deepEqual(
      order.receivers.map(({ result, finished_at }) => [result, finished_at]),
      [
        ['SUCCESS', clock.now],
        ['SUCCESS', clock.now],
      ],
    );
    assert.equal(sharing.findOrder('P-1'), order);
  });

  it('leaves to share the total less refunds less every share asked, pending ones too, and refuses a cent more', () => {
    const { trades, sharing, transaction_id } = ledgers();
    assert.equal(sharing.unsplitAmount(transaction_id), 1000);
    const refund = trades.refund({ transaction_id, out_refund_no: 'R-1', amount: { refund: 250, total: 1000, currency: 'CNY' } });
    assert.ok(!(refund instanceof GatewayRefusal));
    shared(sharing, shareDraft(transaction_id, 'P-1', [300, 200]));
    assert.equal(sharing.unsplitAmount(transaction_id), 250);
    assert.deepEqual(refusal(sharing.share(shareDraft(transaction_id, 'P-2', [251]), {})), [400, 'INVALID_REQUEST', '分账金额超过订单剩余待分金额']);
    shared(sharing, shareDraft(transaction_id, 'P-2', [250]));
    assert.equal(sharing.unsplitAmount(transaction_id), 0);
    assert.equal(sharing.unsplitAmount('4200000000000000000000000000'), undefined);
  });

  it('unfreezes the rest with unfreeze_unsplit, or by an unfreeze to the merchant itself; then shares nothing more', () => {
    const { sharing, transaction_id } = ledgers();
    shared(sharing, shareDraft(transaction_id, 'P-1', [100], { unfreeze_unsplit: true }));
    assert.equal(sharing.unsplitAmount(transaction_id), 0);
    assert.deepEqual(refusal(sharing.share(shareDraft(transaction_id, 'P-2', [1]), {})), [400, 'INVALID_REQUEST', '订单剩余资金已解冻，不能再分账']);
    assert.deepEqual(refusal(sharing.unfreeze({ transaction_id, out_order_no: 'U-1', description: '解冻' }, {})), [400, 'INVALID_REQUEST', '订单剩余资金已解冻，不能再分账']);

    const other = ledgers(SUB_MCHID);
    shared(other.sharing, shareDraft(other.transaction_id, 'P-1', [400], { sub_mchid: SUB_MCHID }));
    const unfrozen = other.sharing.unfreeze({ sub_mchid: SUB_MCHID, transaction_id: other.transaction_id, out_order_no: 'U-1', description: '解冻' }, {});
    assert.ok(!(unfrozen instanceof GatewayRefusal));
    assert.deepEqual([unfrozen.unfreeze, unfrozen.state, unfrozen.sub_mchid], [true, 'PROCESSING', SUB_MCHID]);
    assert.deepEqual(
      unfrozen.receivers.map(({ type, account, amount, description }) => [type, account, amount, description]),
      [['MERCHANT_ID', SUB_MCHID, 600, '解冻']],
    );
    assert.equal(other.sharing.unsplitAmount(other.transaction_id), 0);
  });

  it('shares only to receivers added for the same merchant, and no longer once deleted', () => {
    const { sharing, transaction_id } = ledgers();
    const stranger = { ...shareDraft(transaction_id, 'P-1', []), receivers: [{ type: 'PERSONAL_OPENID' as const, account: 'o-staff', amount: 1, description: '分给店员' }] };
    assert.deepEqual(refusal(sharing.share(stranger, {})), [400, 'INVALID_REQUEST', '分账接收方 o-staff 未添加，请先添加分账接收方']);
    sharing.addReceiver({ sub_mchid: SUB_MCHID, type: 'PERSONAL_OPENID', account: 'o-staff', relation_type: 'STAFF' });
    assert.ok(sharing.share(stranger, {}) instanceof GatewayRefusal, 'a sub-merchant’s receiver is not the direct merchant’s');
    sharing.addReceiver({ type: 'PERSONAL_OPENID', account: 'o-staff', relation_type: 'STAFF' });
    sharing.deleteReceiver({ type: 'MERCHANT_ID', account: SHOP });
    assert.ok(sharing.share(shareDraft(transaction_id, 'P-1', [1]), {}) instanceof GatewayRefusal);
    shared(sharing, stranger);
  });

  it('answers the same request again with the same order, and refuses its number for another, or an order not paid', () => {
    const { sharing, transaction_id } = ledgers();
    const draft = shareDraft(transaction_id, 'P-1', [100]);
    const order = shared(sharing, draft);
    assert.equal(sharing.share(draft, { ...draft, receivers: draft.receivers?.map((receiver) => ({ ...receiver })) }), order);
    assert.deepEqual(refusal(sharing.share(shareDraft(transaction_id, 'P-1', [101]), shareDraft(transaction_id, 'P-1', [101]))), [400, 'INVALID_REQUEST', '商户分账单号已用于另一笔分账']);
    // The same number asked as an unfreeze is another request.
    assert.ok(sharing.unfreeze({ transaction_id, out_order_no: 'P-1', description: 'x' }, { ...draft }) instanceof GatewayRefusal);
    assert.deepEqual(refusal(sharing.share(shareDraft('4200000000000000000000000000', 'P-2', [1]), {})), [404, 'RESOURCE_NOT_EXISTS', '订单不存在或未支付']);
    assert.ok(sharing.share(shareDraft(transaction_id, 'P-3', [1], { sub_mchid: SUB_MCHID }), {}) instanceof GatewayRefusal, 'the direct merchant’s order is no sub-merchant’s');
    assert.equal(sharing.unsplitAmount(transaction_id), 900);
  });

  it('returns from a merchant receiver whose share arrived, at most what it got less what it returned, by either order number', () => {
    const { sharing, transaction_id, clock } = ledgers();
    const order = shared(sharing, shareDraft(transaction_id, 'P-1', [300]));
    const draft = (out_return_no: string, amount: number): ReturnDraft => ({ out_order_no: 'P-1', out_return_no, return_mchid: SHOP, amount, description: '用户退款' });
    assert.deepEqual(refusal(sharing.returnShare(draft('B-1', 100), {})), [400, 'INVALID_REQUEST', '分账接收方尚未收到分账，不能回退']);
    sharing.finishOrder(order);
    const first = returned(sharing, draft('B-1', 200));
    assert.deepEqual([first.result, first.sharing, first.created_at], ['PROCESSING', order, AT]);
    assert.equal(sharing.findReturn('B-1'), first);
    assert.deepEqual(refusal(sharing.returnShare(draft('B-2', 101), {})), [400, 'INVALID_REQUEST', '回退金额超过分账接收方可回退金额']);
    returned(sharing, { ...draft('B-2', 100), out_order_no: undefined, order_id: order.order_id });
    clock.now = new Date(AT.getTime() + 1000);
    sharing.finishReturn(first);
    assert.deepEqual([first.result, first.finished_at], ['SUCCESS', clock.now]);
    assert.deepEqual(refusal(sharing.returnShare(draft('B-1', 1), {})), [400, 'INVALID_REQUEST', '商户回退单号已用于另一笔回退']);
    assert.deepEqual(refusal(sharing.returnShare({ ...draft('B-3', 1), return_mchid: '1900000888' }, {})), [400, 'INVALID_REQUEST', '回退商户号 1900000888 不是该分账单的分账接收方']);
    assert.deepEqual(refusal(sharing.returnShare({ ...draft('B-3', 1), out_order_no: 'P-NONE' }, {})), [404, 'RESOURCE_NOT_EXISTS', '分账单不存在']);
  });

  it('returns nothing from an unfreeze: the merchant is no receiver of its own money', () => {
    const { sharing, transaction_id } = ledgers();
    const unfrozen = sharing.unfreeze({ transaction_id, out_order_no: 'U-1', description: '解冻' }, {});
    assert.ok(!(unfrozen instanceof GatewayRefusal));
    sharing.finishOrder(unfrozen);
    assert.equal(refusal(sharing.returnShare({ out_order_no: 'U-1', out_return_no: 'B-1', return_mchid: '1900000001', amount: 1, description: 'x' }, {}))[1], 'INVALID_REQUEST');
  });
});
