// The combined order routes (合单支付) over HTTP, through the SDK's own typed client: combined
// orders of every product checked as the gateway checks them, queried and closed as one, paid by
// sandbox.payCombined() with one notification, and their sub-orders refunded and billed as orders.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { downloadBill, NotificationVerifier, untyped, Wechatpay } from '../../lib';
import { Sandbox, SandboxFlowError } from '../../lib/sandbox';
import { assertCatalogueAnswer } from '../support/catalogue-answer';
import { billRows, refused } from '../support/gateway-answers';
import { scriptedServer, type ScriptedServer } from '../support/scripted-server';

const SUB_MCHID = '1900000109';
const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
const APPID = 'wxd678efh567hg6787';

describe('the sandbox combined order routes', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  let mchid: string;
  let merchant: ScriptedServer;
  const combine = () => wxpay.v3.combineTransactions;
  /** Two sub-orders: the merchant's own of ¥1.00, and its sub-merchant's (二级商户) of ¥2.50. */
  const subOrders = (prefix: string) => [
    { mchid, attach: 'shop A', amount: { total_amount: 100, currency: 'CNY' }, out_trade_no: `${prefix}-1`, description: 'tea' },
    { mchid, sub_mchid: SUB_MCHID, attach: 'shop B', amount: { total_amount: 250, currency: 'CNY' }, out_trade_no: `${prefix}-2`, description: 'cake' },
  ];
  /** A JSAPI combined order `number` whose sub-orders are numbered after it. */
  const jsapi = (number: string) => ({
    combine_appid: APPID,
    combine_mchid: mchid,
    combine_out_trade_no: number,
    scene_info: { device_id: 'POS1:1', payer_client_ip: '14.17.22.32' },
    sub_orders: subOrders(number),
    combine_payer_info: { openid: OPENID },
    notify_url: merchant.url,
  });
  /** The close call's body naming `number`'s sub-orders. */
  const closing = (number: string) => ({ combine_appid: APPID, sub_orders: subOrders(number).map(({ mchid: owner, out_trade_no, sub_mchid }) => ({ mchid: owner, out_trade_no, ...(sub_mchid ? { sub_mchid } : {}) })) });
  const query = async (number: string) => {
    const { data } = await combine().outTradeNo._combine_out_trade_no_.get({ combine_out_trade_no: number });
    await assertCatalogueAnswer('get', `v3/combine-transactions/out-trade-no/${number}`, data);
    return data;
  };
  before(async () => {
    sandbox = await Sandbox.start({ mode: 'public-key' });
    wxpay = new Wechatpay(sandbox.clientOptions);
    mchid = sandbox.mchid;
    merchant = await scriptedServer([204]);
  });
  after(() => Promise.all([sandbox.close(), merchant.close()]));

  it('answers JSAPI, APP and mini program combined orders with a prepay_id, H5 with an h5_url, Native with a code_url, as the catalogue describes them', async () => {
    const { combine_payer_info, scene_info, ...common } = jsapi('C-ROUTE-JSAPI');
    const placed = {
      jsapi: (await combine().jsapi.post({ json: { ...common, combine_payer_info, scene_info } })).data,
      app: (await combine().app.post({ json: { ...common, combine_out_trade_no: 'C-ROUTE-APP', sub_orders: subOrders('C-ROUTE-APP') } })).data,
      h5: (await combine().h5.post({ json: { ...common, combine_out_trade_no: 'C-ROUTE-H5', sub_orders: subOrders('C-ROUTE-H5'), scene_info: { ...scene_info, h5_info: { type: 'Wap' } } } })).data,
      native: (await combine().native.post({ json: { ...common, combine_out_trade_no: 'C-ROUTE-NATIVE', sub_orders: subOrders('C-ROUTE-NATIVE') } })).data,
      miniprogram: (
        await combine().miniprogram.post({
          json: { combine_appid: APPID, combine_mchid: mchid, combine_out_trade_no: 'C-ROUTE-MINI', combine_payer_info, notify_url: merchant.url, sub_orders: [{ mchid, individual_auth_id: 'AUTH-1', out_trade_no: 'C-ROUTE-MINI-1', amount: { total_amount: 100, currency: 'CNY' }, attach: 'stall', description: 'noodles' }] },
        })
      ).data,
    };
    assert.match(placed.jsapi.prepay_id, /^wx\d{14}[0-9a-f]{20}$/);
    assert.match(placed.app.prepay_id, /^wx\d{14}/);
    assert.match(placed.h5.h5_url, /^https:\/\/wx\.tenpay\.com\//);
    assert.match(placed.native.code_url, /^weixin:\/\/wxpay\//);
    assert.match(placed.miniprogram.prepay_id, /^wx\d{14}/);
    for (const [product, data] of Object.entries(placed)) await assertCatalogueAnswer('post', `v3/combine-transactions/${product}`, data);
    const mini = await query('C-ROUTE-MINI');
    assert.deepEqual(mini.sub_orders?.map(({ individual_auth_id, trade_type }) => [individual_auth_id, trade_type]), [['AUTH-1', 'JSAPI']]);
  });

  it('answers an unpaid combined order NOTPAY in every sub-order, nothing paid yet, and 404 ORDER_NOT_EXIST for a number it does not know', async () => {
    await combine().jsapi.post({ json: jsapi('C-ROUTE-QUERY') });
    const data = await query('C-ROUTE-QUERY');
    assert.match(data.combine_transaction_id, /^4200\d{24}$/);
    assert.deepEqual({ ...data, combine_transaction_id: '' }, {
      combine_appid: APPID,
      combine_mchid: mchid,
      combine_out_trade_no: 'C-ROUTE-QUERY',
      combine_transaction_id: '',
      scene_info: { device_id: 'POS1:1' },
      combine_payer_info: { openid: OPENID },
      sub_orders: [
        { mchid, trade_type: 'JSAPI', trade_state: 'NOTPAY', attach: 'shop A', out_trade_no: 'C-ROUTE-QUERY-1', amount: { total_amount: 100, currency: 'CNY', payer_amount: 0, payer_currency: 'CNY' } },
        { mchid, sub_mchid: SUB_MCHID, trade_type: 'JSAPI', trade_state: 'NOTPAY', attach: 'shop B', out_trade_no: 'C-ROUTE-QUERY-2', amount: { total_amount: 250, currency: 'CNY', payer_amount: 0, payer_currency: 'CNY' } },
      ],
    });
    assert.equal((await refused(combine().outTradeNo._combine_out_trade_no_.get({ combine_out_trade_no: 'C-ROUTE-NONE' }), 404, 'ORDER_NOT_EXIST')).message, '订单不存在');
  });

  it('names the field a malformed combined order lacks or breaks, sub-orders by their place, in a 400 PARAM_ERROR', async () => {
    assert.equal((await refused(untyped(combine().jsapi).post({ json: { ...jsapi('C-ROUTE-BAD1'), combine_payer_info: undefined } }), 400, 'PARAM_ERROR')).message, 'combine_payer_info is required');
    const [first, second] = subOrders('C-ROUTE-BAD2');
    const { detail, message } = await refused(untyped(combine().jsapi).post({ json: { ...jsapi('C-ROUTE-BAD2'), sub_orders: [first, { ...second, amount: undefined }] } }), 400, 'PARAM_ERROR');
    assert.equal(message, 'sub_orders.1.amount is required');
    assert.deepEqual(detail, { location: 'body', field: '/sub_orders/1/amount' });
    assert.equal((await refused(combine().jsapi.post({ json: { ...jsapi('C-ROUTE-BAD3'), sub_orders: [] } }), 400, 'PARAM_ERROR')).message, 'sub_orders must have at least 1 item');
    const many = Array.from({ length: 51 }, (_, i) => ({ ...first, out_trade_no: `C-ROUTE-BAD3-${i}` }));
    assert.equal((await refused(combine().jsapi.post({ json: { ...jsapi('C-ROUTE-BAD3'), sub_orders: many } }), 400, 'PARAM_ERROR')).message, 'sub_orders must have at most 50 items');
    assert.match((await refused(combine().jsapi.post({ json: { ...jsapi('C-ROUTE-BAD4'), combine_mchid: '1230000109' } }), 400, 'PARAM_ERROR')).message ?? '', /^combine_mchid is not the merchant that signed/);
    assert.match((await refused(combine().jsapi.post({ json: { ...jsapi('C-ROUTE-BAD5'), sub_orders: [first, { ...second, mchid: '1230000109' }] } }), 400, 'PARAM_ERROR')).message ?? '', /^sub_orders\.1\.mchid is not the merchant that signed/);
    assert.equal((await refused(combine().jsapi.post({ json: { ...jsapi('C-ROUTE-BAD6'), sub_orders: [first, first] } }), 400, 'PARAM_ERROR')).message, 'sub_orders.1.out_trade_no is the number of another sub-order');
    assert.equal((await refused(untyped(combine().h5).post({ json: { ...jsapi('C-ROUTE-BAD7'), scene_info: undefined } }), 400, 'PARAM_ERROR')).message, 'scene_info is required');
  });

  it('answers the same combined order placed again with the same prepay_id, and refuses its number, or a sub-order’s, for another order (403 OUT_TRADE_NO_USED)', async () => {
    const first = await combine().jsapi.post({ json: jsapi('C-ROUTE-TWICE') });
    assert.equal((await combine().jsapi.post({ json: jsapi('C-ROUTE-TWICE') })).data.prepay_id, first.data.prepay_id);
    assert.equal((await refused(combine().jsapi.post({ json: { ...jsapi('C-ROUTE-TWICE'), notify_url: `${merchant.url}?again` } }), 403, 'OUT_TRADE_NO_USED')).message, '商户订单号重复');
    // Another combined order reusing a sub-order's number, and an order placed alone under one.
    await refused(combine().jsapi.post({ json: { ...jsapi('C-ROUTE-OTHER'), sub_orders: subOrders('C-ROUTE-TWICE') } }), 403, 'OUT_TRADE_NO_USED');
    await refused(wxpay.v3.pay.transactions.native.post({ json: { appid: APPID, mchid, description: 'tea', out_trade_no: 'C-ROUTE-TWICE-1', notify_url: merchant.url, amount: { total: 100 } } }), 403, 'OUT_TRADE_NO_USED');
    await refused(combine().outTradeNo._combine_out_trade_no_.get({ combine_out_trade_no: 'C-ROUTE-OTHER' }), 404, 'ORDER_NOT_EXIST');
  });

  it('closes an unpaid combined order with every sub-order (204, again too), then refuses to place it again (400 ORDER_CLOSED)', async () => {
    await combine().jsapi.post({ json: jsapi('C-ROUTE-CLOSE') });
    const closed = await combine().outTradeNo._combine_out_trade_no_.close.post({ combine_out_trade_no: 'C-ROUTE-CLOSE', json: closing('C-ROUTE-CLOSE') });
    assert.equal(closed.status, 204);
    assert.equal((await combine().outTradeNo._combine_out_trade_no_.close.post({ combine_out_trade_no: 'C-ROUTE-CLOSE', json: closing('C-ROUTE-CLOSE') })).status, 204);
    assert.deepEqual((await query('C-ROUTE-CLOSE')).sub_orders?.map(({ trade_state }) => trade_state), ['CLOSED', 'CLOSED']);
    assert.equal((await refused(combine().jsapi.post({ json: jsapi('C-ROUTE-CLOSE') }), 400, 'ORDER_CLOSED')).message, '订单已关闭');
    await assert.rejects(sandbox.payCombined('C-ROUTE-CLOSE'), (error: unknown) => error instanceof SandboxFlowError && error.code === 'NOT_PAYABLE');
  });

  it('refuses to close a combined order named otherwise than placed (400 INVALID_REQUEST), or one it does not know (404 ORDER_NOT_EXIST)', async () => {
    await combine().jsapi.post({ json: jsapi('C-ROUTE-PART') });
    const [only] = closing('C-ROUTE-PART').sub_orders;
    await refused(combine().outTradeNo._combine_out_trade_no_.close.post({ combine_out_trade_no: 'C-ROUTE-PART', json: { combine_appid: APPID, sub_orders: [only] } }), 400, 'INVALID_REQUEST');
    await refused(combine().outTradeNo._combine_out_trade_no_.close.post({ combine_out_trade_no: 'C-ROUTE-PART', json: { ...closing('C-ROUTE-PART'), combine_appid: 'wx0000000000000000' } }), 400, 'INVALID_REQUEST');
    assert.equal((await refused(untyped(combine().outTradeNo._combine_out_trade_no_.close).post({ combine_out_trade_no: 'C-ROUTE-PART', json: { combine_appid: APPID } }), 400, 'PARAM_ERROR')).message, 'sub_orders is required');
    await refused(combine().outTradeNo._combine_out_trade_no_.close.post({ combine_out_trade_no: 'C-ROUTE-NONE', json: closing('C-ROUTE-NONE') }), 404, 'ORDER_NOT_EXIST');
    assert.deepEqual((await query('C-ROUTE-PART')).sub_orders?.map(({ trade_state }) => trade_state), ['NOTPAY', 'NOTPAY']);
  });

  it('answers a sub-order’s query as an order’s, and refuses to close it alone (400 INVALID_REQUEST): it closes with its combined order', async () => {
    await combine().jsapi.post({ json: jsapi('C-ROUTE-ALONE') });
    const { data } = await wxpay.v3.pay.partner.transactions.outTradeNo._out_trade_no_.get({ out_trade_no: 'C-ROUTE-ALONE-2', query: { sp_mchid: mchid, sub_mchid: SUB_MCHID } });
    assert.deepEqual([data.trade_state, data.out_trade_no, data.sp_appid], ['NOTPAY', 'C-ROUTE-ALONE-2', APPID]);
    await refused(wxpay.v3.pay.transactions.outTradeNo._out_trade_no_.close.post({ out_trade_no: 'C-ROUTE-ALONE-1', json: { mchid } }), 400, 'INVALID_REQUEST');
    await refused(wxpay.v3.pay.partner.transactions.outTradeNo._out_trade_no_.close.post({ out_trade_no: 'C-ROUTE-ALONE-2', json: { sp_mchid: mchid, sub_mchid: SUB_MCHID } }), 400, 'INVALID_REQUEST');
    assert.deepEqual((await query('C-ROUTE-ALONE')).sub_orders?.map(({ trade_state }) => trade_state), ['NOTPAY', 'NOTPAY']);
  });

  it('fails a combined order (PAYERROR) without a notification', async () => {
    await combine().native.post({ json: { ...jsapi('C-FLOW-FAIL') } });
    const before = merchant.arrivals.length;
    const { order, delivery } = await sandbox.payCombined('C-FLOW-FAIL', { outcome: 'PAYERROR' });
    assert.equal(delivery, undefined);
    assert.deepEqual(order.sub_orders?.map(({ trade_state, transaction_id }) => [trade_state, transaction_id]), [['PAYERROR', undefined], ['PAYERROR', undefined]]);
    assert.equal(merchant.arrivals.length, before);
  });

  it('pays a mini program combined order without a notify_url, notifying nothing, nor a refund of it asked without one', async () => {
    const sub = { mchid, individual_auth_id: 'AUTH-2', out_trade_no: 'C-FLOW-MINI-1', amount: { total_amount: 300, currency: 'CNY' }, attach: 'stall', description: 'noodles' };
    await combine().miniprogram.post({ json: { combine_appid: APPID, combine_mchid: mchid, combine_out_trade_no: 'C-FLOW-MINI', combine_payer_info: { openid: OPENID }, sub_orders: [sub] } });
    const { order, delivery } = await sandbox.payCombined('C-FLOW-MINI');
    assert.deepEqual([order.sub_orders?.[0].trade_state, delivery], ['SUCCESS', undefined]);
    await wxpay.v3.refund.domestic.refunds.post({ json: { out_trade_no: 'C-FLOW-MINI-1', out_refund_no: 'R-COMBINE-MINI', amount: { refund: 300, total: 300, currency: 'CNY' } } });
    const settled = await sandbox.refundSettled('R-COMBINE-MINI');
    assert.deepEqual([settled.refund.status, settled.delivery], ['SUCCESS', undefined]);
  });

  describe('once paid', () => {
    let paid: Awaited<ReturnType<Sandbox['payCombined']>>;
    let notices: ScriptedServer;
    before(async () => {
      notices = await scriptedServer([500, 204]);
      await combine().jsapi.post({ json: { ...jsapi('C-FLOW-PAY'), notify_url: notices.url } });
      paid = await sandbox.payCombined('C-FLOW-PAY');
    });
    after(() => notices.close());

    it('pays every sub-order, each with its own transaction_id, and delivers one TRANSACTION.SUCCESS carrying the combined order, retried until acknowledged', async () => {
      assert.deepEqual([paid.delivery?.acknowledged, paid.delivery?.attempts], [true, 2]);
      const [one, two] = paid.order.sub_orders ?? [];
      assert.match(one.transaction_id ?? '', /^4200\d{24}$/);
      assert.notEqual(one.transaction_id, two.transaction_id);
      const verifier = new NotificationVerifier(sandbox.notificationOptions);
      const [event, retried] = await Promise.all(notices.arrivals.map(({ headers, body }) => verifier.verify({ headers, body })));
      assert.equal(retried.id, event.id);
      assert.deepEqual([event.event_type, event.summary], ['TRANSACTION.SUCCESS', '支付成功']);
      const paidSub = (sub: typeof one, attach: string, out_trade_no: string, total: number) => ({
        mchid,
        ...(sub.sub_mchid ? { sub_mchid: sub.sub_mchid } : {}),
        trade_type: 'JSAPI',
        trade_state: 'SUCCESS',
        transaction_id: sub.transaction_id,
        success_time: sub.success_time,
        bank_type: 'OTHERS',
        attach,
        out_trade_no,
        amount: { total_amount: total, currency: 'CNY', payer_amount: total, payer_currency: 'CNY' },
      });
      assert.deepEqual(event.resource, {
        combine_appid: APPID,
        combine_mchid: mchid,
        combine_out_trade_no: 'C-FLOW-PAY',
        scene_info: { device_id: 'POS1:1' },
        combine_payer_info: { openid: OPENID },
        sub_orders: [paidSub(one, 'shop A', 'C-FLOW-PAY-1', 100), paidSub(two, 'shop B', 'C-FLOW-PAY-2', 250)],
      });
    });

    it('answers the query SUCCESS in every sub-order, and refuses to place, close or pay it again', async () => {
      const data = await query('C-FLOW-PAY');
      assert.deepEqual(data.sub_orders, paid.order.sub_orders);
      assert.deepEqual(data.sub_orders?.map(({ trade_state, amount }) => [trade_state, amount?.payer_amount]), [['SUCCESS', 100], ['SUCCESS', 250]]);
      assert.equal((await refused(combine().jsapi.post({ json: jsapi('C-FLOW-PAY') }), 400, 'ORDERPAID')).message, '订单已支付');
      await refused(combine().outTradeNo._combine_out_trade_no_.close.post({ combine_out_trade_no: 'C-FLOW-PAY', json: closing('C-FLOW-PAY') }), 400, 'ORDERPAID');
      await assert.rejects(sandbox.payCombined('C-FLOW-PAY'), (error: unknown) => error instanceof SandboxFlowError && error.code === 'NOT_PAYABLE');
      await assert.rejects(sandbox.payCombined('C-FLOW-NONE'), (error: unknown) => error instanceof SandboxFlowError && error.code === 'NOT_FOUND');
    });

    it('pays a sub-order only with its combined order: sandbox.pay() refuses it (NOT_PAYABLE)', async () => {
      await combine().native.post({ json: jsapi('C-FLOW-ALONE') });
      await assert.rejects(sandbox.pay('C-FLOW-ALONE-1'), (error: unknown) => error instanceof SandboxFlowError && error.code === 'NOT_PAYABLE' && /payCombined/.test(error.message));
    });

    it('refunds a sub-order as any paid order: by out_trade_no, or by transaction_id with its sub_mchid, each notified, the sub-order then REFUND', async () => {
      await combine().jsapi.post({ json: jsapi('C-FLOW-REFUND') });
      const [one, two] = (await sandbox.payCombined('C-FLOW-REFUND')).order.sub_orders ?? [];
      const byNumber = await wxpay.v3.refund.domestic.refunds.post({ json: { out_trade_no: 'C-FLOW-REFUND-1', out_refund_no: 'R-COMBINE-1', amount: { refund: 40, total: 100, currency: 'CNY' } } });
      assert.deepEqual([byNumber.data.status, byNumber.data.transaction_id], ['PROCESSING', one.transaction_id]);
      const byId = await wxpay.v3.refund.domestic.refunds.post({ json: { sub_mchid: SUB_MCHID, transaction_id: two.transaction_id, out_refund_no: 'R-COMBINE-2', amount: { refund: 250, total: 250, currency: 'CNY' } } });
      assert.equal(byId.data.out_trade_no, 'C-FLOW-REFUND-2');
      await refused(wxpay.v3.refund.domestic.refunds.post({ json: { transaction_id: two.transaction_id, out_refund_no: 'R-COMBINE-3', amount: { refund: 1, total: 250, currency: 'CNY' } } }), 404, 'RESOURCE_NOT_EXISTS');
      const settled = await Promise.all([sandbox.refundSettled('R-COMBINE-1'), sandbox.refundSettled('R-COMBINE-2', { sub_mchid: SUB_MCHID })]);
      assert.deepEqual(settled.map(({ refund, delivery }) => [refund.status, delivery?.acknowledged]), [['SUCCESS', true], ['SUCCESS', true]]);
      assert.deepEqual((await query('C-FLOW-REFUND')).sub_orders?.map(({ trade_state }) => trade_state), ['REFUND', 'REFUND']);
    });

    it('writes each paid sub-order in the day’s trade bill, its sub-merchant’s in its own', async () => {
      const [one, two] = paid.order.sub_orders ?? [];
      const billDate = (one.success_time ?? '').slice(0, 10);
      const payments = billRows((await downloadBill(wxpay, { type: 'trade', bill_date: billDate, bill_type: 'SUCCESS' })).data).map((row) => [row[3], row[5], row[6], row[12]]);
      assert.deepEqual(
        payments.filter(([, , number]) => number.startsWith('C-FLOW-PAY-')),
        [
          ['0', one.transaction_id, 'C-FLOW-PAY-1', '1.00'],
          [SUB_MCHID, two.transaction_id, 'C-FLOW-PAY-2', '2.50'],
        ],
      );
      const theirs = billRows((await downloadBill(wxpay, { type: 'trade', bill_date: billDate, bill_type: 'SUCCESS', sub_mchid: SUB_MCHID })).data).map((row) => [row[3], row[6]]);
      assert.ok(theirs.every(([sub_mchid]) => sub_mchid === SUB_MCHID));
      assert.deepEqual(
        theirs.filter(([, number]) => number.startsWith('C-FLOW-PAY-')),
        [[SUB_MCHID, 'C-FLOW-PAY-2']],
      );
    });
  });
});
