// The refund routes over HTTP, through the SDK's typed client: refunds of paid orders only, never
// beyond what is left of them, accepted PROCESSING and queried by their number.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { untyped, Wechatpay } from '../../lib';
import { Sandbox } from '../../lib/sandbox';
import { refused } from '../support/gateway-answers';
import { paidNativeOrder } from '../support/paid-order';
import { scriptedServer, type ScriptedServer } from '../support/scripted-server';

const SUB_MCHID = '1900000109';

describe('the sandbox refund routes', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  let merchant: ScriptedServer;
  const refunds = () => wxpay.v3.refund.domestic.refunds;
  const money = (refund: number, total = 1000) => ({ refund, total, currency: 'CNY' });

  /** Places a Native order of ¥10 and has it paid; answers its transaction_id. */
  const paidOrder = (out_trade_no: string, sub_mchid?: string) => paidNativeOrder(wxpay, sandbox, merchant.url, out_trade_no, sub_mchid);

  before(async () => {
    sandbox = await Sandbox.start();
    wxpay = new Wechatpay(sandbox.clientOptions);
    merchant = await scriptedServer([204]);
  });
  after(() => Promise.all([sandbox.close(), merchant.close()]));

  it('accepts a refund of a paid order PROCESSING, which its query shows SUCCESS once it settled', async () => {
    const transaction_id = await paidOrder('T-REFUND-01');
    const { data } = await refunds().post({ json: { out_trade_no: 'T-REFUND-01', out_refund_no: 'R-REFUND-01', reason: 'cold tea', amount: money(300) } });
    assert.deepEqual([data.status, data.out_trade_no, data.transaction_id, data.channel, data.user_received_account, data.success_time], ['PROCESSING', 'T-REFUND-01', transaction_id, 'ORIGINAL', '支付用户零钱', undefined]);
    assert.deepEqual(data.amount, { total: 1000, refund: 300, payer_total: 1000, payer_refund: 300, settlement_total: 1000, settlement_refund: 300, discount_refund: 0, currency: 'CNY' });
    assert.match(data.refund_id, /^50\d{27}$/);
    assert.match(data.create_time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    await sandbox.refundSettled('R-REFUND-01');
    const queried = await refunds()._out_refund_no_.get({ out_refund_no: 'R-REFUND-01' });
    assert.deepEqual([queried.data.status, queried.data.refund_id], ['SUCCESS', data.refund_id]);
    assert.match(queried.data.success_time ?? '', /\+08:00$/);
    const order = await wxpay.v3.pay.transactions.outTradeNo._out_trade_no_.get({ out_trade_no: 'T-REFUND-01', query: { mchid: sandbox.mchid } });
    assert.deepEqual([order.data.trade_state, order.data.trade_state_desc], ['REFUND', '转入退款']);
  });

  it('refunds by transaction_id as well, in parts up to the total and not a cent more (400 INVALID_REQUEST)', async () => {
    const transaction_id = await paidOrder('T-REFUND-02');
    await refunds().post({ json: { transaction_id, out_refund_no: 'R-REFUND-02a', amount: money(600) } });
    const { message } = await refused(refunds().post({ json: { transaction_id, out_refund_no: 'R-REFUND-02b', amount: money(401) } }), 400, 'INVALID_REQUEST');
    assert.equal(message, '申请退款金额超过订单可退金额');
    await refunds().post({ json: { out_trade_no: 'T-REFUND-02', out_refund_no: 'R-REFUND-02b', amount: money(400) } });
    await refused(refunds().post({ json: { transaction_id, out_refund_no: 'R-REFUND-02c', amount: money(1) } }), 400, 'INVALID_REQUEST');
  });

  it('answers the same refund asked again with the same refund, refunding nothing more', async () => {
    await paidOrder('T-REFUND-03');
    const first = await refunds().post({ json: { out_trade_no: 'T-REFUND-03', out_refund_no: 'R-REFUND-03', amount: money(1000) } });
    const again = await refunds().post({ json: { out_trade_no: 'T-REFUND-03', out_refund_no: 'R-REFUND-03', amount: money(1000) } });
    assert.equal(again.data.refund_id, first.data.refund_id);
    await refused(refunds().post({ json: { out_trade_no: 'T-REFUND-03', out_refund_no: 'R-REFUND-03', amount: money(999) } }), 400, 'INVALID_REQUEST');
  });

  it('refunds neither an unpaid order nor one it does not know (404 RESOURCE_NOT_EXISTS), nor with another total', async () => {
    await wxpay.v3.pay.transactions.native.post({ json: { appid: 'wx1', mchid: sandbox.mchid, description: 'tea', out_trade_no: 'T-REFUND-04', notify_url: merchant.url, amount: { total: 1000 } } });
    await refused(refunds().post({ json: { out_trade_no: 'T-REFUND-04', out_refund_no: 'R-REFUND-04', amount: money(1) } }), 404, 'RESOURCE_NOT_EXISTS');
    await refused(refunds().post({ json: { out_trade_no: 'T-REFUND-NONE', out_refund_no: 'R-REFUND-04', amount: money(1) } }), 404, 'RESOURCE_NOT_EXISTS');
    await paidOrder('T-REFUND-05');
    await refused(refunds().post({ json: { out_trade_no: 'T-REFUND-05', out_refund_no: 'R-REFUND-05', amount: money(1, 999) } }), 400, 'INVALID_REQUEST');
  });

  it('names the field a malformed refund lacks, in a 400 PARAM_ERROR', async () => {
    const check = async (json: Record<string, unknown>) => (await refused(untyped(refunds()).post({ json }), 400, 'PARAM_ERROR')).message;
    assert.equal(await check({ out_trade_no: 'T-REFUND-01', amount: money(1) }), 'out_refund_no is required');
    assert.equal(await check({ out_trade_no: 'T-REFUND-01', out_refund_no: 'R-X' }), 'amount is required');
    assert.equal(await check({ out_trade_no: 'T-REFUND-01', out_refund_no: 'R-X', amount: { refund: 1, total: 1000 } }), 'amount.currency is required');
    assert.equal(await check({ out_trade_no: 'T-REFUND-01', out_refund_no: 'R-X', amount: money(0) }), 'amount.refund must be at least 1');
    assert.equal(await check({ out_refund_no: 'R-X', amount: money(1) }), 'transaction_id or out_trade_no is required');
  });

  it('answers 404 RESOURCE_NOT_EXISTS for a refund number it does not know', async () => {
    assert.equal((await refused(refunds()._out_refund_no_.get({ out_refund_no: 'R-NONE' }), 404, 'RESOURCE_NOT_EXISTS')).message, '退款单不存在');
  });

  it('refunds a sub-merchant’s order when the refund names the sub-merchant, and answers its query by it', async () => {
    await paidOrder('T-REFUND-06', SUB_MCHID);
    await refused(refunds().post({ json: { out_trade_no: 'T-REFUND-06', out_refund_no: 'R-REFUND-06', amount: money(1) } }), 404, 'RESOURCE_NOT_EXISTS');
    const { data } = await refunds().post({ json: { sub_mchid: SUB_MCHID, out_trade_no: 'T-REFUND-06', out_refund_no: 'R-REFUND-06', amount: money(100) } });
    assert.equal(data.status, 'PROCESSING');
    assert.equal((await refunds()._out_refund_no_.get({ out_refund_no: 'R-REFUND-06', query: { sub_mchid: SUB_MCHID } })).data.refund_id, data.refund_id);
    await refused(refunds()._out_refund_no_.get({ out_refund_no: 'R-REFUND-06' }), 404, 'RESOURCE_NOT_EXISTS');
  });
});
