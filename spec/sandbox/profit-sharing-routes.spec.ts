// The profit-sharing routes over HTTP, through the SDK's typed client: shares of paid orders to
// receivers the merchant added, never beyond what is left, PROCESSING then FINISHED by themselves;
// returns, unfreezing, the amount left, and a service provider's sub-merchant alike.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { untyped, Wechatpay } from '../../lib';
import { Sandbox, SandboxFlowError } from '../../lib/sandbox';
import { assertCatalogueAnswer } from '../support/catalogue-answer';
import { refused } from '../support/gateway-answers';
import { paidNativeOrder } from '../support/paid-order';
import { scriptedServer, type ScriptedServer } from '../support/scripted-server';

const SUB_MCHID = '1900000109';
const SHOP = '1900000110';
const STAFF = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
/** What a pending share or return says it finished at: nothing finished yet. */
const NOT_FINISHED = '1970-01-01T08:00:00+08:00';
const CHINA_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

/** The message of the gateway's refusal, asserted of `status` and `code`. */
async function refusal(call: Promise<unknown>, status: number, code: string): Promise<string | undefined> {
  return (await refused(call, status, code)).message;
}

describe('the sandbox profit-sharing routes', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  let merchant: ScriptedServer;
  const sharing = () => wxpay.v3.profitsharing;
  const toShop = (amount: number) => ({ type: 'MERCHANT_ID' as const, account: SHOP, amount, description: '分给门店' });

  /** Places a Native order of ¥10 and has it paid; answers its transaction_id. */
  const paidOrder = (out_trade_no: string, sub_mchid?: string) => paidNativeOrder(wxpay, sandbox, merchant.url, out_trade_no, sub_mchid);

  /** What is left of the order to share, as its query answers it (checked against the catalogue). */
  async function unsplit(transaction_id: string): Promise<number> {
    const { data } = await sharing().transactions._transaction_id_.amounts.get({ transaction_id });
    await assertCatalogueAnswer('get', `v3/profitsharing/transactions/${transaction_id}/amounts`, data);
    assert.equal(data.transaction_id, transaction_id);
    return data.unsplit_amount;
  }

  before(async () => {
    sandbox = await Sandbox.start();
    wxpay = new Wechatpay(sandbox.clientOptions);
    merchant = await scriptedServer([204]);
    const shop = await sharing().receivers.add.post({ json: { appid: 'wx1', type: 'MERCHANT_ID', account: SHOP, name: 'c2hvcA==', relation_type: 'STORE' } });
    await assertCatalogueAnswer('post', 'v3/profitsharing/receivers/add', shop.data);
    assert.deepEqual(shop.data, { type: 'MERCHANT_ID', account: SHOP, relation_type: 'STORE' });
    await sharing().receivers.add.post({ json: { appid: 'wx1', type: 'PERSONAL_OPENID', account: STAFF, relation_type: 'STAFF' } });
  });
  after(() => Promise.all([sandbox.close(), merchant.close()]));

  it('accepts a share of a paid order PROCESSING, its shares PENDING, then FINISHED with each share SUCCESS', async () => {
    const transaction_id = await paidOrder('T-SHARE-01');
    const receivers = [toShop(300), { type: 'PERSONAL_OPENID' as const, account: STAFF, name: 'ZW5jcnlwdGVkIG5hbWU=', amount: 200, description: '分给店员' }];
    const { data } = await sharing().orders.post({ json: { appid: 'wx1', transaction_id, out_order_no: 'P-SHARE-01', receivers, unfreeze_unsplit: false } });
    await assertCatalogueAnswer('post', 'v3/profitsharing/orders', data);
    assert.deepEqual([data.transaction_id, data.out_order_no, data.state, data.sub_mchid], [transaction_id, 'P-SHARE-01', 'PROCESSING', undefined]);
    assert.match(data.order_id, /^3008\d{24}$/);
    assert.deepEqual(
      data.receivers?.map(({ type, account, amount, description, result, finish_time }) => [type, account, amount, description, result, finish_time]),
      [
        ['MERCHANT_ID', SHOP, 300, '分给门店', 'PENDING', NOT_FINISHED],
        ['PERSONAL_OPENID', STAFF, 200, '分给店员', 'PENDING', NOT_FINISHED],
      ],
    );
    for (const receiver of data.receivers ?? []) {
      assert.match(receiver.detail_id ?? '', /^36\d{21}$/);
      assert.match(receiver.create_time, CHINA_TIME);
    }
    assert.equal(await unsplit(transaction_id), 500);

    const settled = await sandbox.profitSharingSettled('P-SHARE-01');
    assert.equal(settled.state, 'FINISHED');
    const queried = await sharing().orders._out_order_no_.get({ out_order_no: 'P-SHARE-01', query: { transaction_id } });
    await assertCatalogueAnswer('get', 'v3/profitsharing/orders/P-SHARE-01', queried.data);
    assert.deepEqual([queried.data.state, queried.data.order_id], ['FINISHED', data.order_id]);
    assert.deepEqual(
      queried.data.receivers?.map(({ result }) => result),
      ['SUCCESS', 'SUCCESS'],
    );
    for (const receiver of queried.data.receivers ?? []) assert.ok(receiver.finish_time !== NOT_FINISHED && CHINA_TIME.test(receiver.finish_time), receiver.finish_time);
    assert.equal(await unsplit(transaction_id), 500);
  });

  it('shares again what is left, and with unfreeze_unsplit unfreezes the rest at once: nothing more is shared', async () => {
    const transaction_id = await paidOrder('T-SHARE-02');
    await sharing().orders.post({ json: { transaction_id, out_order_no: 'P-SHARE-02a', receivers: [toShop(100)], unfreeze_unsplit: false } });
    const { data } = await sharing().orders.post({ json: { transaction_id, out_order_no: 'P-SHARE-02b', receivers: [toShop(400)], unfreeze_unsplit: true } });
    assert.equal(data.state, 'PROCESSING');
    assert.equal(await unsplit(transaction_id), 0);
    const message = await refusal(sharing().orders.post({ json: { transaction_id, out_order_no: 'P-SHARE-02c', receivers: [toShop(1)], unfreeze_unsplit: false } }), 400, 'INVALID_REQUEST');
    assert.equal(message, '订单剩余资金已解冻，不能再分账');
    assert.equal((await sandbox.profitSharingSettled('P-SHARE-02b')).state, 'FINISHED');
  });

  it('refuses a share beyond what is left (refunds count against it) with 400 INVALID_REQUEST saying so', async () => {
    const transaction_id = await paidOrder('T-SHARE-03');
    await wxpay.v3.refund.domestic.refunds.post({ json: { transaction_id, out_refund_no: 'R-SHARE-03', amount: { refund: 300, total: 1000, currency: 'CNY' } } });
    assert.equal(await unsplit(transaction_id), 700);
    await sharing().orders.post({ json: { transaction_id, out_order_no: 'P-SHARE-03a', receivers: [toShop(600)], unfreeze_unsplit: false } });
    const message = await refusal(sharing().orders.post({ json: { transaction_id, out_order_no: 'P-SHARE-03b', receivers: [toShop(101)], unfreeze_unsplit: false } }), 400, 'INVALID_REQUEST');
    assert.equal(message, '分账金额超过订单剩余待分金额');
    await sharing().orders.post({ json: { transaction_id, out_order_no: 'P-SHARE-03b', receivers: [toShop(100)], unfreeze_unsplit: false } });
    assert.equal(await unsplit(transaction_id), 0);
  });

  it('answers the same request again with the same order, and refuses its number for another (400 INVALID_REQUEST)', async () => {
    const transaction_id = await paidOrder('T-SHARE-04');
    const json = { transaction_id, out_order_no: 'P-SHARE-04', receivers: [toShop(100)], unfreeze_unsplit: false };
    const first = await sharing().orders.post({ json });
    const again = await sharing().orders.post({ json: { ...json } });
    assert.equal(again.data.order_id, first.data.order_id);
    assert.equal(await unsplit(transaction_id), 900);
    const message = await refusal(sharing().orders.post({ json: { ...json, receivers: [toShop(200)] } }), 400, 'INVALID_REQUEST');
    assert.equal(message, '商户分账单号已用于另一笔分账');
  });

  it('shares only to receivers added: one never added, or deleted, is refused naming its account', async () => {
    const transaction_id = await paidOrder('T-SHARE-05');
    const stranger = { type: 'MERCHANT_ID' as const, account: '1900000999', amount: 100, description: '分给陌生人' };
    const message = await refusal(sharing().orders.post({ json: { transaction_id, out_order_no: 'P-SHARE-05a', receivers: [stranger], unfreeze_unsplit: false } }), 400, 'INVALID_REQUEST');
    assert.match(message ?? '', /1900000999/);
    await sharing().receivers.add.post({ json: { appid: 'wx1', type: 'MERCHANT_ID', account: '1900000999', relation_type: 'CUSTOM', custom_relation: '加盟商' } });
    const removed = await wxpay.chain('v3/profitsharing/receivers/delete').post({ json: { appid: 'wx1', type: 'MERCHANT_ID', account: '1900000999' } });
    await assertCatalogueAnswer('post', 'v3/profitsharing/receivers/delete', removed.data);
    assert.deepEqual(removed.data, { type: 'MERCHANT_ID', account: '1900000999' });
    await refusal(sharing().orders.post({ json: { transaction_id, out_order_no: 'P-SHARE-05b', receivers: [stranger], unfreeze_unsplit: false } }), 400, 'INVALID_REQUEST');
    assert.equal(await unsplit(transaction_id), 1000);
  });

  it('refuses to share an order it does not know or that is not paid (404 RESOURCE_NOT_EXISTS)', async () => {
    await refusal(sharing().orders.post({ json: { transaction_id: '4200000000000000000000000000', out_order_no: 'P-SHARE-06', receivers: [toShop(1)], unfreeze_unsplit: false } }), 404, 'RESOURCE_NOT_EXISTS');
    await refusal(sharing().transactions._transaction_id_.amounts.get({ transaction_id: '4200000000000000000000000000' }), 404, 'RESOURCE_NOT_EXISTS');
    // A sub-merchant's order is not the direct merchant's to share.
    const transaction_id = await paidOrder('T-SHARE-06', SUB_MCHID);
    await refusal(sharing().orders.post({ json: { transaction_id, out_order_no: 'P-SHARE-06', receivers: [toShop(1)], unfreeze_unsplit: false } }), 404, 'RESOURCE_NOT_EXISTS');
  });

  it('names the field a malformed request lacks, in a 400 PARAM_ERROR', async () => {
    const transaction_id = await paidOrder('T-SHARE-07');
    const check = async (json: Record<string, unknown>) => refusal(untyped(sharing().orders).post({ json }), 400, 'PARAM_ERROR');
    assert.equal(await check({ transaction_id, out_order_no: 'P-SHARE-07', receivers: [toShop(1)] }), 'unfreeze_unsplit is required');
    assert.equal(await check({ transaction_id, out_order_no: 'P-SHARE-07', receivers: [{ ...toShop(1), amount: 0 }], unfreeze_unsplit: false }), 'receivers.0.amount must be at least 1');
    assert.equal(await check({ transaction_id, out_order_no: 'P-SHARE-07', receivers: [toShop(1), { ...toShop(1), type: 'BANK' }], unfreeze_unsplit: false }), 'receivers.1.type does not have the expected format (/^(?:MERCHANT_ID|PERSONAL_OPENID|PERSONAL_SUB_OPENID)$/)');
    assert.equal(await refusal(untyped(sharing().receivers.add).post({ json: { appid: 'wx1', type: 'MERCHANT_ID', account: SHOP, relation_type: 'CUSTOM' } }), 400, 'PARAM_ERROR'), 'custom_relation is required when relation_type is CUSTOM');
    assert.equal(await refusal(untyped(sharing().orders._out_order_no_).get({ out_order_no: 'P-SHARE-01' }), 400, 'PARAM_ERROR'), 'transaction_id is required');
  });

  it('answers 404 RESOURCE_NOT_EXISTS for a share it does not know, or of another order', async () => {
    assert.equal(await refusal(sharing().orders._out_order_no_.get({ out_order_no: 'P-NONE', query: { transaction_id: '4200000000000000000000000000' } }), 404, 'RESOURCE_NOT_EXISTS'), '分账单不存在');
    await refusal(sharing().orders._out_order_no_.get({ out_order_no: 'P-SHARE-01', query: { transaction_id: '4200000000000000000000000000' } }), 404, 'RESOURCE_NOT_EXISTS');
    await assert.rejects(sandbox.profitSharingSettled('P-NONE'), (error: unknown) => error instanceof SandboxFlowError && error.code === 'NOT_FOUND');
  });

  it('unfreezes the rest to the merchant itself, PROCESSING then FINISHED, after which nothing is left nor unfrozen again', async () => {
    const transaction_id = await paidOrder('T-SHARE-08');
    await sharing().orders.post({ json: { transaction_id, out_order_no: 'P-SHARE-08', receivers: [toShop(250)], unfreeze_unsplit: false } });
    const { data } = await sharing().orders.unfreeze.post({ json: { transaction_id, out_order_no: 'U-SHARE-08', description: '解冻全部剩余资金' } });
    await assertCatalogueAnswer('post', 'v3/profitsharing/orders/unfreeze', data);
    assert.deepEqual([data.out_order_no, data.state], ['U-SHARE-08', 'PROCESSING']);
    assert.deepEqual(
      data.receivers?.map(({ type, account, amount, description, result }) => [type, account, amount, description, result]),
      [['MERCHANT_ID', sandbox.mchid, 750, '解冻全部剩余资金', 'PENDING']],
    );
    assert.equal(await unsplit(transaction_id), 0);
    const settled = await sandbox.profitSharingSettled('U-SHARE-08');
    assert.deepEqual([settled.state, settled.receivers?.[0].result], ['FINISHED', 'SUCCESS']);
    const queried = await sharing().orders._out_order_no_.get({ out_order_no: 'U-SHARE-08', query: { transaction_id } });
    assert.equal(queried.data.state, 'FINISHED');
    await refusal(sharing().orders.unfreeze.post({ json: { transaction_id, out_order_no: 'U-SHARE-08b', description: '再解冻' } }), 400, 'INVALID_REQUEST');
    await refusal(sharing().orders.unfreeze.post({ json: { transaction_id: '4200000000000000000000000000', out_order_no: 'U-SHARE-08c', description: '解冻' } }), 404, 'RESOURCE_NOT_EXISTS');
  });

  it('returns part of a merchant receiver’s finished share, PROCESSING then SUCCESS, and never more than it got', async () => {
    const transaction_id = await paidOrder('T-SHARE-09');
    const staff = { type: 'PERSONAL_OPENID' as const, account: STAFF, amount: 100, description: '分给店员' };
    await sharing().orders.post({ json: { transaction_id, out_order_no: 'P-SHARE-09', receivers: [toShop(300), staff], unfreeze_unsplit: true } });
    const giveBack = (out_return_no: string, amount: number, return_mchid = SHOP) => ({ out_order_no: 'P-SHARE-09', out_return_no, return_mchid, amount, description: '用户退款' });
    const settled = await sandbox.profitSharingSettled('P-SHARE-09');

    const { data } = await sharing().returnOrders.post({ json: giveBack('B-SHARE-09a', 200) });
    await assertCatalogueAnswer('post', 'v3/profitsharing/return-orders', data);
    assert.deepEqual([data.order_id, data.out_order_no, data.out_return_no, data.return_mchid, data.amount, data.description, data.result, data.finish_time], [settled.order_id, 'P-SHARE-09', 'B-SHARE-09a', SHOP, 200, '用户退款', 'PROCESSING', NOT_FINISHED]);
    assert.match(data.return_id, /^3008\d{24}$/);
    assert.match(data.create_time, CHINA_TIME);
    const returned = await sandbox.profitSharingReturnSettled('B-SHARE-09a');
    assert.equal(returned.result, 'SUCCESS');
    const queried = await sharing().returnOrders._out_return_no_.get({ out_return_no: 'B-SHARE-09a', query: { out_order_no: 'P-SHARE-09' } });
    await assertCatalogueAnswer('get', 'v3/profitsharing/return-orders/B-SHARE-09a', queried.data);
    assert.deepEqual([queried.data.result, queried.data.return_id], ['SUCCESS', data.return_id]);
    assert.match(queried.data.finish_time, CHINA_TIME);
    assert.notEqual(queried.data.finish_time, NOT_FINISHED);

    assert.equal(await refusal(sharing().returnOrders.post({ json: giveBack('B-SHARE-09b', 101) }), 400, 'INVALID_REQUEST'), '回退金额超过分账接收方可回退金额');
    await sharing().returnOrders.post({ json: { order_id: settled.order_id, out_return_no: 'B-SHARE-09b', return_mchid: SHOP, amount: 100, description: '用户退款' } });
    await refusal(sharing().returnOrders.post({ json: giveBack('B-SHARE-09c', 1) }), 400, 'INVALID_REQUEST');
  });

  it('refuses a return from no merchant receiver of the order, of an order it does not know, or under a number used for another', async () => {
    const transaction_id = await paidOrder('T-SHARE-10');
    await sharing().orders.post({ json: { transaction_id, out_order_no: 'P-SHARE-10', receivers: [toShop(300)], unfreeze_unsplit: false } });
    await sandbox.profitSharingSettled('P-SHARE-10');
    const giveBack = { out_order_no: 'P-SHARE-10', out_return_no: 'B-SHARE-10', return_mchid: SHOP, amount: 10, description: '用户退款' };
    assert.match((await refusal(sharing().returnOrders.post({ json: { ...giveBack, return_mchid: '1900000888' } }), 400, 'INVALID_REQUEST')) ?? '', /1900000888/);
    await refusal(sharing().returnOrders.post({ json: { ...giveBack, out_order_no: 'P-NONE' } }), 404, 'RESOURCE_NOT_EXISTS');
    const first = await sharing().returnOrders.post({ json: giveBack });
    assert.equal((await sharing().returnOrders.post({ json: { ...giveBack } })).data.return_id, first.data.return_id);
    assert.equal(await refusal(sharing().returnOrders.post({ json: { ...giveBack, amount: 20 } }), 400, 'INVALID_REQUEST'), '商户回退单号已用于另一笔回退');
    assert.equal(await refusal(untyped(sharing().returnOrders).post({ json: { out_return_no: 'B-X', return_mchid: SHOP, amount: 1, description: 'x' } }), 400, 'PARAM_ERROR'), 'order_id or out_order_no is required');
    assert.equal(await refusal(sharing().returnOrders._out_return_no_.get({ out_return_no: 'B-SHARE-10', query: { out_order_no: 'P-SHARE-09' } }), 404, 'RESOURCE_NOT_EXISTS'), '回退单不存在');
  });

  it('shares a sub-merchant’s order to the sub-merchant’s receivers when the calls name the sub-merchant', async () => {
    const transaction_id = await paidOrder('T-SHARE-11', SUB_MCHID);
    const json = { sub_mchid: SUB_MCHID, appid: 'wxsp', transaction_id, out_order_no: 'P-SHARE-11', receivers: [toShop(400)], unfreeze_unsplit: false };
    // The direct merchant's receivers are not the sub-merchant's.
    assert.match((await refusal(sharing().orders.post({ json }), 400, 'INVALID_REQUEST')) ?? '', new RegExp(SHOP));
    const added = await sharing().receivers.add.post({ json: { sub_mchid: SUB_MCHID, appid: 'wxsp', type: 'MERCHANT_ID', account: SHOP, relation_type: 'STORE' } });
    assert.equal(added.data.sub_mchid, SUB_MCHID);
    const { data } = await sharing().orders.post({ json });
    await assertCatalogueAnswer('post', 'v3/profitsharing/orders', data);
    assert.deepEqual([data.sub_mchid, data.state], [SUB_MCHID, 'PROCESSING']);
    assert.equal((await sandbox.profitSharingSettled('P-SHARE-11', { sub_mchid: SUB_MCHID })).state, 'FINISHED');
    const queried = await sharing().orders._out_order_no_.get({ out_order_no: 'P-SHARE-11', query: { sub_mchid: SUB_MCHID, transaction_id } });
    assert.deepEqual([queried.data.sub_mchid, queried.data.state], [SUB_MCHID, 'FINISHED']);
    await refusal(sharing().orders._out_order_no_.get({ out_order_no: 'P-SHARE-11', query: { transaction_id } }), 404, 'RESOURCE_NOT_EXISTS');
    // The amount left is asked by transaction_id alone: the service provider sees its sub-merchants' orders.
    assert.equal(await unsplit(transaction_id), 600);

    const returned = await sharing().returnOrders.post({ json: { sub_mchid: SUB_MCHID, out_order_no: 'P-SHARE-11', out_return_no: 'B-SHARE-11', return_mchid: SHOP, amount: 50, description: '用户退款' } });
    assert.equal(returned.data.sub_mchid, SUB_MCHID);
    assert.equal((await sandbox.profitSharingReturnSettled('B-SHARE-11', { sub_mchid: SUB_MCHID })).result, 'SUCCESS');

    const unfrozen = await sharing().orders.unfreeze.post({ json: { sub_mchid: SUB_MCHID, transaction_id, out_order_no: 'U-SHARE-11', description: '解冻' } });
    assert.deepEqual(
      unfrozen.data.receivers?.map(({ account, amount }) => [account, amount]),
      [[SUB_MCHID, 600]],
    );
    assert.equal(await unsplit(transaction_id), 0);
  });

  /**
   * A sandbox of its own whose shares stay PROCESSING for a minute, so that no test can race past
   * that state, with a paid order of ¥0.10 shared 5 fen to the shop as `P-SHARE-SLOW`.
   */
  async function slowShare(): Promise<{ slow: Sandbox; client: Wechatpay }> {
    const slow = await Sandbox.start({ profitSharingDelayMs: 60_000 });
    const client = new Wechatpay(slow.clientOptions);
    await client.v3.pay.transactions.native.post({ json: { appid: 'wx1', mchid: slow.mchid, description: 'tea', out_trade_no: 'T-SHARE-SLOW', notify_url: merchant.url, amount: { total: 10 } } });
    const { order } = await slow.pay('T-SHARE-SLOW');
    await client.v3.profitsharing.receivers.add.post({ json: { appid: 'wx1', type: 'MERCHANT_ID', account: SHOP, relation_type: 'STORE' } });
    await client.v3.profitsharing.orders.post({ json: { transaction_id: order.transaction_id ?? '', out_order_no: 'P-SHARE-SLOW', receivers: [toShop(5)], unfreeze_unsplit: false } });
    return { slow, client };
  }

  it('refuses to return a share its receiver has not received yet', async () => {
    const { slow, client } = await slowShare();
    after(() => slow.close());
    const giveBack = { out_order_no: 'P-SHARE-SLOW', out_return_no: 'B-SHARE-SLOW', return_mchid: SHOP, amount: 5, description: '用户退款' };
    assert.equal(await refusal(client.v3.profitsharing.returnOrders.post({ json: giveBack }), 400, 'INVALID_REQUEST'), '分账接收方尚未收到分账，不能回退');
  });

  it('leaves a share still processing as it was when the sandbox closes', async () => {
    const { slow } = await slowShare();
    const settling = slow.profitSharingSettled('P-SHARE-SLOW');
    await slow.close();
    const settled = await settling;
    assert.deepEqual([settled.state, settled.receivers?.[0].result], ['PROCESSING', 'PENDING']);
  });
});
