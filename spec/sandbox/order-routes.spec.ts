// The payment routes over HTTP, through the SDK's own typed client: orders of every product,
// direct and partner, checked as the gateway checks them; queries and closing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { untyped, Wechatpay } from '../../lib';
import { Sandbox } from '../../lib/sandbox';
import { refused } from '../support/gateway-answers';
import { scriptedServer, type ScriptedServer } from '../support/scripted-server';

const SUB_MCHID = '1900000109';

describe('the sandbox payment routes', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  let mchid: string;
  let merchant: ScriptedServer;
  const transactions = () => wxpay.v3.pay.transactions;
  const partner = () => wxpay.v3.pay.partner.transactions;
  const order = (out_trade_no: string, total = 100) => ({ appid: 'wxd678efh567hg6787', mchid, description: 'Image形象店-深圳腾大-QQ公仔', out_trade_no, notify_url: merchant.url, amount: { total, currency: 'CNY' } });
  const partnerOrder = (out_trade_no: string) => ({ sp_appid: 'wx8888888888888888', sp_mchid: mchid, sub_mchid: SUB_MCHID, description: 'tea', out_trade_no, notify_url: merchant.url, amount: { total: 100 } });
  // The catalogue's H5 scene lacks payer_client_ip, which the gateway requires.
  const scene_info = { payer_client_ip: '14.23.150.211', h5_info: { type: 'Wap' } };
  before(async () => {
    sandbox = await Sandbox.start();
    wxpay = new Wechatpay(sandbox.clientOptions);
    mchid = sandbox.mchid;
    merchant = await scriptedServer([204]);
  });
  after(() => Promise.all([sandbox.close(), merchant.close()]));

  it('answers a direct merchant’s JSAPI and APP orders with a prepay_id, H5 with an h5_url, Native with a code_url', async () => {
    const jsapi = await transactions().jsapi.post({ json: { ...order('T-ROUTE-JSAPI'), payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } } });
    assert.match(jsapi.data.prepay_id, /^wx\d{14}/);
    assert.match((await transactions().app.post({ json: order('T-ROUTE-APP') })).data.prepay_id, /^wx\d{14}/);
    assert.match((await transactions().h5.post({ json: { ...order('T-ROUTE-H5'), scene_info } })).data.h5_url, /^https:\/\//);
    assert.match((await transactions().native.post({ json: order('T-ROUTE-NATIVE') })).data.code_url, /^weixin:\/\/wxpay\//);
  });

  it('answers a service provider’s orders of every product the same way', async () => {
    assert.match((await partner().jsapi.post({ json: { ...partnerOrder('T-P-JSAPI'), payer: { sp_openid: 'o-sp' } } })).data.prepay_id, /^wx/);
    assert.match((await partner().app.post({ json: partnerOrder('T-P-APP') })).data.prepay_id, /^wx/);
    assert.match((await partner().h5.post({ json: { ...partnerOrder('T-P-H5'), scene_info } })).data.h5_url, /^https:\/\//);
    assert.match((await partner().native.post({ json: partnerOrder('T-P-NATIVE') })).data.code_url, /^weixin:/);
  });

  it('names the field a malformed order lacks or breaks, in a 400 PARAM_ERROR', async () => {
    const { message, detail } = await refused(untyped(transactions().jsapi).post({ json: order('T-ROUTE-BAD1') }), 400, 'PARAM_ERROR');
    assert.equal(message, 'payer is required');
    assert.deepEqual(detail, { location: 'body', field: '/payer' });
    assert.equal((await refused(untyped(transactions().native).post({ json: { ...order('T-ROUTE-BAD2'), amount: { total: '100' } } }), 400, 'PARAM_ERROR')).message, 'amount.total must be a whole number');
    assert.equal((await refused(untyped(transactions().h5).post({ json: order('T-ROUTE-BAD3') }), 400, 'PARAM_ERROR')).message, 'scene_info is required');
    assert.equal((await refused(untyped(partner().app).post({ json: { ...partnerOrder('T-ROUTE-BAD4'), sub_mchid: undefined } }), 400, 'PARAM_ERROR')).message, 'sub_mchid is required');
    assert.match((await refused(transactions().app.post({ json: { ...order('T-ROUTE-BAD5'), mchid: '1230000109' } }), 400, 'PARAM_ERROR')).message ?? '', /^mchid is not the merchant that signed/);
  });

  it('answers the same order placed again with the same prepay_id, and refuses its number for another one (403 OUT_TRADE_NO_USED)', async () => {
    const first = await transactions().app.post({ json: order('T-ROUTE-TWICE') });
    const again = await transactions().app.post({ json: order('T-ROUTE-TWICE') });
    assert.equal(again.data.prepay_id, first.data.prepay_id);
    assert.equal((await refused(transactions().app.post({ json: order('T-ROUTE-TWICE', 101) }), 403, 'OUT_TRADE_NO_USED')).message, '商户订单号重复');
    await refused(transactions().native.post({ json: order('T-ROUTE-TWICE') }), 403, 'OUT_TRADE_NO_USED');
  });

  it('answers a new order by out_trade_no as NOTPAY, but not by transaction_id until it is paid', async () => {
    await transactions().native.post({ json: { ...order('T-ROUTE-QUERY'), attach: 'table 7' } });
    const { data } = await transactions().outTradeNo._out_trade_no_.get({ out_trade_no: 'T-ROUTE-QUERY', query: { mchid } });
    assert.deepEqual([data.trade_state, data.trade_state_desc, data.trade_type, data.attach, data.transaction_id, data.amount.payer_total], ['NOTPAY', '订单未支付', 'NATIVE', 'table 7', undefined, 0]);
    const { order: paid } = await sandbox.pay('T-ROUTE-QUERY');
    assert.ok(paid.transaction_id);
    const byId = await transactions().id._transaction_id_.get({ transaction_id: paid.transaction_id, query: { mchid } });
    assert.deepEqual([byId.data.trade_state, byId.data.out_trade_no, byId.data.amount.total], ['SUCCESS', 'T-ROUTE-QUERY', 100]);
    assert.deepEqual(byId.data, (await transactions().outTradeNo._out_trade_no_.get({ out_trade_no: 'T-ROUTE-QUERY', query: { mchid } })).data);
  });

  it('answers 404 ORDER_NOT_EXIST for an order it does not know, and a 400 for a query without the merchant or with another', async () => {
    assert.equal((await refused(transactions().outTradeNo._out_trade_no_.get({ out_trade_no: 'T-ROUTE-NONE', query: { mchid } }), 404, 'ORDER_NOT_EXIST')).message, '订单不存在');
    await refused(transactions().id._transaction_id_.get({ transaction_id: '4200000000000000000000000000', query: { mchid } }), 404, 'ORDER_NOT_EXIST');
    const missing = await refused(untyped(transactions().outTradeNo._out_trade_no_).get({ out_trade_no: 'T-ROUTE-NONE' }), 400, 'PARAM_ERROR');
    assert.deepEqual(missing, { message: 'mchid is required', detail: { location: 'query', field: '/mchid' } });
    await refused(transactions().outTradeNo._out_trade_no_.get({ out_trade_no: 'T-ROUTE-NONE', query: { mchid: '1230000109' } }), 400, 'PARAM_ERROR');
  });

  it('answers a service provider’s queries by sp_mchid and sub_mchid, and only for that sub-merchant', async () => {
    await partner().native.post({ json: partnerOrder('T-P-QUERY') });
    const { order: paid } = await sandbox.pay('T-P-QUERY', { sub_mchid: SUB_MCHID });
    const query = { sp_mchid: mchid, sub_mchid: SUB_MCHID };
    const byNumber = await partner().outTradeNo._out_trade_no_.get({ out_trade_no: 'T-P-QUERY', query });
    assert.deepEqual([byNumber.data.sp_mchid, byNumber.data.sub_mchid, byNumber.data.trade_state, byNumber.data.payer?.sp_openid?.length], [mchid, SUB_MCHID, 'SUCCESS', 28]);
    const byId = await partner().id._transaction_id_.get({ transaction_id: paid.transaction_id ?? '', query });
    assert.equal(byId.data.out_trade_no, 'T-P-QUERY');
    await refused(partner().outTradeNo._out_trade_no_.get({ out_trade_no: 'T-P-QUERY', query: { sp_mchid: mchid, sub_mchid: '1900000110' } }), 404, 'ORDER_NOT_EXIST');
    await refused(untyped(partner().outTradeNo._out_trade_no_).get({ out_trade_no: 'T-P-QUERY', query: { sp_mchid: mchid } }), 400, 'PARAM_ERROR');
    await refused(transactions().outTradeNo._out_trade_no_.get({ out_trade_no: 'T-P-QUERY', query: { mchid } }), 404, 'ORDER_NOT_EXIST');
  });

  it('closes an unpaid order with 204 (again too), and refuses to close a paid one or one it does not know', async () => {
    await transactions().app.post({ json: order('T-ROUTE-CLOSE') });
    const closed = await transactions().outTradeNo._out_trade_no_.close.post({ out_trade_no: 'T-ROUTE-CLOSE', json: { mchid } });
    assert.deepEqual([closed.status, closed.data], [204, '']);
    assert.equal((await transactions().outTradeNo._out_trade_no_.close.post({ out_trade_no: 'T-ROUTE-CLOSE', json: { mchid } })).status, 204);
    assert.equal((await transactions().outTradeNo._out_trade_no_.get({ out_trade_no: 'T-ROUTE-CLOSE', query: { mchid } })).data.trade_state, 'CLOSED');
    await refused(transactions().app.post({ json: order('T-ROUTE-CLOSE') }), 400, 'ORDER_CLOSED');
    await transactions().app.post({ json: order('T-ROUTE-PAID') });
    await sandbox.pay('T-ROUTE-PAID');
    assert.equal((await refused(transactions().outTradeNo._out_trade_no_.close.post({ out_trade_no: 'T-ROUTE-PAID', json: { mchid } }), 400, 'ORDERPAID')).message, '订单已支付');
    await refused(transactions().outTradeNo._out_trade_no_.close.post({ out_trade_no: 'T-ROUTE-NONE', json: { mchid } }), 404, 'ORDER_NOT_EXIST');
    await partner().app.post({ json: partnerOrder('T-P-CLOSE') });
    assert.equal((await partner().outTradeNo._out_trade_no_.close.post({ out_trade_no: 'T-P-CLOSE', json: { sp_mchid: mchid, sub_mchid: SUB_MCHID } })).status, 204);
  });
});
