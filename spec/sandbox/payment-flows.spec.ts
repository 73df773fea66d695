// The flows a test drives: sandbox.pay() and the TRANSACTION.SUCCESS it delivers, refunds that
// settle by themselves and notify, retries on the gateway's schedule, and close() stopping them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Wechatpay } from '../../lib';
import { Sandbox, SandboxFlowError, type DeliveryOutcome } from '../../lib/sandbox';
import { scriptedServer, verifiedArrivals } from '../support/scripted-server';

const SUB_MCHID = '1900000109';

/** A delivery as plain facts, for comparing. */
function facts(delivery: DeliveryOutcome | undefined) {
  return delivery && { acknowledged: delivery.acknowledged, attempts: delivery.attempts, status: delivery.status, cancelled: delivery.cancelled };
}

describe('the sandbox payment flows', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  before(async () => {
    sandbox = await Sandbox.start({ mode: 'public-key' });
    wxpay = new Wechatpay(sandbox.clientOptions);
  });
  after(() => sandbox.close());

  /** Places a JSAPI order of ¥2.50 notified to `url`. */
  const place = (out_trade_no: string, notify_url: string) =>
    wxpay.v3.pay.transactions.jsapi.post({ json: { appid: 'wxd678efh567hg6787', mchid: sandbox.mchid, description: 'tea', out_trade_no, notify_url, attach: 'table 7', amount: { total: 250, currency: 'CNY' }, payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } } });

  it('pays an order and delivers a signed, encrypted TRANSACTION.SUCCESS carrying the paid order', async () => {
    const merchant = await scriptedServer([204]);
    after(() => merchant.close());
    await place('T-FLOW-PAY', merchant.url);
    const { order, delivery } = await sandbox.pay('T-FLOW-PAY');
    assert.deepEqual(facts(delivery), { acknowledged: true, attempts: 1, status: 204, cancelled: false });
    assert.equal(order.trade_state, 'SUCCESS');
    const [event] = await verifiedArrivals(merchant, sandbox);
    assert.deepEqual([event.event_type, event.summary, event.resource_type], ['TRANSACTION.SUCCESS', '支付成功', 'encrypt-resource']);
    assert.deepEqual(event.resource, {
      appid: 'wxd678efh567hg6787',
      mchid: sandbox.mchid,
      out_trade_no: 'T-FLOW-PAY',
      transaction_id: order.transaction_id,
      trade_type: 'JSAPI',
      trade_state: 'SUCCESS',
      trade_state_desc: '支付成功',
      bank_type: 'OTHERS',
      attach: 'table 7',
      success_time: order.success_time,
      amount: { total: 250, payer_total: 250, currency: 'CNY', payer_currency: 'CNY' },
      payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    });
    const raw = JSON.parse(merchant.arrivals[0].body) as { resource: { original_type: string; associated_data: string } };
    assert.deepEqual([raw.resource.original_type, raw.resource.associated_data], ['transaction', 'transaction']);
  });

  it('retries a server that answers 500 twice, then 204, with the same notification, and resolves once acknowledged', async () => {
    const merchant = await scriptedServer([500, 500, 204]);
    after(() => merchant.close());
    await place('T-FLOW-RETRY', merchant.url);
    const { delivery } = await sandbox.pay('T-FLOW-RETRY');
    assert.deepEqual(facts(delivery), { acknowledged: true, attempts: 3, status: 204, cancelled: false });
    assert.deepEqual(delivery?.history.map(({ status }) => status), [500, 500, 204]);
    // The sandbox's schedule: the gateway's 15 s and 15 s, a thousand times faster.
    const [first, second, third] = merchant.arrivals;
    assert.ok(second.at - first.at >= 15 && third.at - second.at >= 15, `attempts at ${merchant.arrivals.map(({ at }) => at).join(', ')} ms`);
    const events = await verifiedArrivals(merchant, sandbox);
    assert.deepEqual(new Set(events.map(({ id }) => id)).size, 1);
  });

  it('fails or closes an order without a notification', async () => {
    const merchant = await scriptedServer([204]);
    after(() => merchant.close());
    await place('T-FLOW-FAIL', merchant.url);
    await place('T-FLOW-SHUT', merchant.url);
    const failed = await sandbox.pay('T-FLOW-FAIL', { outcome: 'PAYERROR' });
    const closed = await sandbox.pay('T-FLOW-SHUT', { outcome: 'CLOSED' });
    assert.deepEqual([failed.order.trade_state, failed.delivery, closed.order.trade_state, closed.delivery], ['PAYERROR', undefined, 'CLOSED', undefined]);
    const query = await wxpay.v3.pay.transactions.outTradeNo._out_trade_no_.get({ out_trade_no: 'T-FLOW-FAIL', query: { mchid: sandbox.mchid } });
    assert.deepEqual([query.data.trade_state, query.data.trade_state_desc, query.data.transaction_id], ['PAYERROR', '支付失败', undefined]);
    assert.equal(merchant.arrivals.length, 0);
  });

  it('rejects paying an order it does not know, or one no longer unpaid, with a SandboxFlowError', async () => {
    await assert.rejects(sandbox.pay('T-FLOW-NONE'), (error: unknown) => error instanceof SandboxFlowError && error.code === 'NOT_FOUND');
    await assert.rejects(sandbox.pay('T-FLOW-FAIL'), (error: unknown) => error instanceof SandboxFlowError && error.code === 'NOT_PAYABLE' && /PAYERROR/.test(error.message));
  });

  it('pays a sub-merchant’s order and notifies it with the partner fields', async () => {
    const merchant = await scriptedServer([204]);
    after(() => merchant.close());
    await wxpay.v3.pay.partner.transactions.jsapi.post({ json: { sp_appid: 'wxsp', sp_mchid: sandbox.mchid, sub_appid: 'wxsub', sub_mchid: SUB_MCHID, description: 'tea', out_trade_no: 'T-FLOW-SUB', notify_url: merchant.url, amount: { total: 100 }, payer: { sp_openid: 'o-sp', sub_openid: 'o-sub' } } });
    await assert.rejects(sandbox.pay('T-FLOW-SUB'), (error: unknown) => error instanceof SandboxFlowError && error.code === 'NOT_FOUND');
    const { order } = await sandbox.pay('T-FLOW-SUB', { sub_mchid: SUB_MCHID });
    const [event] = await verifiedArrivals(merchant, sandbox);
    assert.deepEqual(event.resource, {
      sp_mchid: sandbox.mchid,
      sp_appid: 'wxsp',
      sub_mchid: SUB_MCHID,
      sub_appid: 'wxsub',
      out_trade_no: 'T-FLOW-SUB',
      transaction_id: order.transaction_id,
      trade_type: 'JSAPI',
      trade_state: 'SUCCESS',
      trade_state_desc: '支付成功',
      bank_type: 'OTHERS',
      success_time: order.success_time,
      amount: { total: 100, payer_total: 100, currency: 'CNY', payer_currency: 'CNY' },
      payer: { sp_openid: 'o-sp', sub_openid: 'o-sub' },
    });
  });

  it('settles a refund by itself and notifies REFUND.SUCCESS to the refund’s notify_url', async () => {
    const [payments, refunds] = await Promise.all([scriptedServer([204]), scriptedServer([204])]);
    after(() => Promise.all([payments.close(), refunds.close()]));
    await place('T-FLOW-REFUND', payments.url);
    const { order } = await sandbox.pay('T-FLOW-REFUND');
    await wxpay.v3.refund.domestic.refunds.post({ json: { out_trade_no: 'T-FLOW-REFUND', out_refund_no: 'R-FLOW-1', notify_url: refunds.url, amount: { refund: 100, total: 250, currency: 'CNY' } } });
    const { refund, delivery } = await sandbox.refundSettled('R-FLOW-1');
    assert.deepEqual(facts(delivery), { acknowledged: true, attempts: 1, status: 204, cancelled: false });
    assert.equal(refund.status, 'SUCCESS');
    const [event] = await verifiedArrivals(refunds, sandbox);
    assert.deepEqual([event.event_type, event.summary], ['REFUND.SUCCESS', '退款成功']);
    assert.deepEqual(event.resource, {
      mchid: sandbox.mchid,
      out_trade_no: 'T-FLOW-REFUND',
      transaction_id: order.transaction_id,
      out_refund_no: 'R-FLOW-1',
      refund_id: refund.refund_id,
      refund_status: 'SUCCESS',
      success_time: refund.success_time,
      user_received_account: '支付用户零钱',
      amount: { total: 250, refund: 100, payer_total: 250, payer_refund: 100 },
    });
    const raw = JSON.parse(refunds.arrivals[0].body) as { resource: { original_type: string; associated_data: string } };
    assert.deepEqual([raw.resource.original_type, raw.resource.associated_data], ['refund', 'refund']);
    assert.equal(payments.arrivals.length, 1, 'the order’s URL heard of the payment only');
  });

  it('ends the next refund ABNORMAL when asked, notifies REFUND.ABNORMAL to the order’s notify_url when the refund has none', async () => {
    const merchant = await scriptedServer([204]);
    after(() => merchant.close());
    await place('T-FLOW-ABNORMAL', merchant.url);
    await sandbox.pay('T-FLOW-ABNORMAL');
    sandbox.failNextRefund();
    await wxpay.v3.refund.domestic.refunds.post({ json: { out_trade_no: 'T-FLOW-ABNORMAL', out_refund_no: 'R-FLOW-2', amount: { refund: 50, total: 250, currency: 'CNY' } } });
    await wxpay.v3.refund.domestic.refunds.post({ json: { out_trade_no: 'T-FLOW-ABNORMAL', out_refund_no: 'R-FLOW-3', amount: { refund: 50, total: 250, currency: 'CNY' } } });
    const [abnormal, fine] = await Promise.all([sandbox.refundSettled('R-FLOW-2'), sandbox.refundSettled('R-FLOW-3')]);
    assert.deepEqual([abnormal.refund.status, abnormal.refund.success_time, fine.refund.status], ['ABNORMAL', undefined, 'SUCCESS']);
    const queried = await wxpay.v3.refund.domestic.refunds._out_refund_no_.get({ out_refund_no: 'R-FLOW-2' });
    assert.equal(queried.data.status, 'ABNORMAL');
    const events = await verifiedArrivals(merchant, sandbox);
    const refundEvents = events.filter(({ event_type }) => event_type.startsWith('REFUND.'));
    assert.deepEqual(refundEvents.map(({ event_type, summary }) => [event_type, summary]).sort(), [['REFUND.ABNORMAL', '退款异常'], ['REFUND.SUCCESS', '退款成功']]);
    const abnormalEvent = refundEvents.find(({ event_type }) => event_type === 'REFUND.ABNORMAL');
    assert.equal((abnormalEvent?.resource as { refund_status: string }).refund_status, 'ABNORMAL');
  });

  it('rejects waiting for a refund it never accepted', async () => {
    await assert.rejects(sandbox.refundSettled('R-FLOW-NONE'), (error: unknown) => error instanceof SandboxFlowError && error.code === 'NOT_FOUND');
  });
});

describe('closing the sandbox mid-flow', () => {
  it('stops retrying a notification: the pay() promise settles cancelled, and nothing more is sent', async () => {
    const sandbox = await Sandbox.start({ notifySchedule: [60_000] });
    const merchant = await scriptedServer([500]);
    after(() => merchant.close());
    const wxpay = new Wechatpay(sandbox.clientOptions);
    await wxpay.v3.pay.transactions.native.post({ json: { appid: 'wx1', mchid: sandbox.mchid, description: 'tea', out_trade_no: 'T-CLOSE-RETRY', notify_url: merchant.url, amount: { total: 1 } } });
    const paying = sandbox.pay('T-CLOSE-RETRY');
    await merchant.answered(1);
    await sandbox.close();
    const { delivery } = await paying;
    assert.deepEqual(facts(delivery), { acknowledged: false, attempts: 1, status: 500, cancelled: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(merchant.arrivals.length, 1);
  });

  it('leaves a refund still processing as it was, without a notification', async () => {
    const sandbox = await Sandbox.start({ refundDelayMs: 60_000 });
    const merchant = await scriptedServer([204]);
    after(() => merchant.close());
    const wxpay = new Wechatpay(sandbox.clientOptions);
    await wxpay.v3.pay.transactions.native.post({ json: { appid: 'wx1', mchid: sandbox.mchid, description: 'tea', out_trade_no: 'T-CLOSE-REFUND', notify_url: merchant.url, amount: { total: 10 } } });
    await sandbox.pay('T-CLOSE-REFUND');
    await wxpay.v3.refund.domestic.refunds.post({ json: { out_trade_no: 'T-CLOSE-REFUND', out_refund_no: 'R-CLOSE', amount: { refund: 10, total: 10, currency: 'CNY' } } });
    const settling = sandbox.refundSettled('R-CLOSE');
    await sandbox.close();
    const { refund, delivery } = await settling;
    assert.deepEqual([refund.status, delivery], ['PROCESSING', undefined]);
    assert.equal(merchant.arrivals.length, 1, 'only the payment was notified');
  });
});
