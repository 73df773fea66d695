// The catalogue's routes over HTTP, through the SDK's client: an operation without a route of its
// own checked against the catalogue and answered with its example, in both APIs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiError, MediaUpload, untyped, verifyV2, Wechatpay } from '../../lib';
import { Sandbox } from '../../lib/sandbox';

/** The refusal a call rejected with: its status, the gateway's code and message, and the detail's location and field. */
async function refusal(call: Promise<unknown>): Promise<{ status?: number; code?: string; message?: string; detail?: unknown }> {
  const error: unknown = await call.then(
    () => assert.fail('expected a refusal'),
    (reason: unknown) => reason,
  );
  assert.ok(error instanceof ApiError, String(error));
  return { status: error.response?.status, code: error.apiCode, message: error.apiMessage, detail: error.detail };
}

describe('the catalogue routes', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  before(async () => {
    sandbox = await Sandbox.start();
    wxpay = new Wechatpay(sandbox.clientOptions);
  });
  after(() => sandbox.close());

  it("answers an operation without a route of its own with the catalogue's example, signed, the id asked about echoed", async () => {
    const { status, headers, data } = await wxpay.v3.marketing.busifavor.stocks._stock_id_.get({ stock_id: 'S-20261128' });
    assert.equal(status, 200);
    assert.ok(headers['wechatpay-signature'], 'signed (and verified by the client)');
    assert.equal(data.stock_id, 'S-20261128');
    assert.equal(data.stock_name, '8月1日活动券');
    assert.ok(['NORMAL', 'DISCOUNT', 'EXCHANGE'].includes(data.stock_type));
    assert.equal(typeof data.coupon_use_rule.coupon_available_time.available_begin_time, 'string');
  });

  it('answers with the status the catalogue gives: 204 without a body', async () => {
    const { status, data } = await wxpay.v3.marketing.busifavor.stocks._stock_id_.patch({ stock_id: 'S-1', json: { out_request_no: 'R-1' } });
    assert.deepEqual([status, data], [204, '']);
  });

  it('refuses a query without a required parameter, or with one of the wrong type, naming it', async () => {
    const items = untyped(wxpay.v3.marketing.favor.stocks._stock_id_.items);
    assert.deepEqual(await refusal(items.get({ stock_id: 'S-1', query: { offset: 0, limit: 10 } })), {
      status: 400,
      code: 'PARAM_ERROR',
      message: 'stock_creator_mchid is required',
      detail: { location: 'query', field: '/stock_creator_mchid' },
    });
    const wrongType = await refusal(items.get({ stock_id: 'S-1', query: { stock_creator_mchid: sandbox.mchid, offset: 'first', limit: 10 } }));
    assert.deepEqual([wrongType.status, wrongType.message], [400, 'offset must be a whole number']);
  });

  it('refuses a body without a required field, at any depth, or with a value outside an enum, naming it', async () => {
    const stock = untyped(wxpay.v3.marketing.busifavor.stocks._stock_id_);
    const missing = await refusal(stock.patch({ stock_id: 'S-1', json: { stock_name: 'tea' } }));
    assert.deepEqual(missing, { status: 400, code: 'PARAM_ERROR', message: 'out_request_no is required', detail: { location: 'body', field: '/out_request_no' } });
    const nested = await refusal(stock.patch({ stock_id: 'S-1', json: { out_request_no: 'R-1', custom_entrance: { mini_programs_info: { mini_programs_appid: 'wx1' } } } }));
    assert.equal(nested.message, 'custom_entrance.mini_programs_info.mini_programs_path is required');
    const outside = await refusal(stock.patch({ stock_id: 'S-1', json: { out_request_no: 'R-1', display_pattern_info: { background_color: 'Color999' } } }));
    assert.match(outside.message ?? '', /^display_pattern_info\.background_color must be one of Color010, Color020/);
    assert.equal((await refusal(stock.patch({ stock_id: 'S-1', json: ['R-1'] }))).message, 'the body must be an object');
  });

  it('checks an upload against its form: the meta fields the catalogue requires', async () => {
    const media = await MediaUpload.from(Buffer.from('id,amount\n'), { filename: 'users.csv' });
    const refused = await refusal(untyped(wxpay.v3.marketing.bank.packages._package_id_.tasks).post({ package_id: '8473295', media }));
    assert.deepEqual([refused.status, refused.message], [400, 'meta.bank_type is required']);
    const { data } = await wxpay.v3.marketing.partner.productCoupon.media.uploadImage.post({ media: await MediaUpload.from(Buffer.from('png'), { filename: 'coupon.png' }) });
    assert.equal(data.media_url, 'https://qpic.cn/xxx');
  });

  it('leaves every path its own route serves to that route, and a route added later wins over the catalogue', async () => {
    const { data } = await wxpay.v3.creditRepayment.partner.contracts._out_contract_code_.get({ out_contract_code: 'OWN-1' });
    assert.equal(data.contract_state, 'CONTRACT_STATE_EFFECTIVE');
    const stock = untyped(wxpay.v3.marketing.favor.stocks._stock_id_);
    const call = () => stock.get({ stock_id: 'S-2', query: { stock_creator_mchid: sandbox.mchid } });
    assert.equal(((await call()).data as { stock_id: string }).stock_id, 'S-2');
    sandbox.route({ method: 'GET', path: '/v3/marketing/favor/stocks/{stock_id}', handle: ({ params }) => ({ json: { stock_id: params.stock_id, stock_name: 'mine' } }) });
    assert.deepEqual((await call()).data, { stock_id: 'S-2', stock_name: 'mine' });
  });

  it("answers an APIv2 operation without a route of its own with the catalogue's example, signed, the merchant echoed", async () => {
    const { data } = await wxpay.v2.pay.orderquery.post({ xml: { appid: 'wxd678efh567hg6787', mch_id: sandbox.mchid, out_trade_no: 'T-V2-1', sign_type: 'HMAC-SHA256' } });
    assert.ok(verifyV2(data, sandbox.apiv2Secret, 'HMAC-SHA256'));
    assert.deepEqual([data.return_code, data.result_code, data.mch_id, data.out_trade_no], ['SUCCESS', 'SUCCESS', sandbox.mchid, 'T-V2-1']);
    // The catalogue numbers repeated fields (`coupon_type_$n`): the example has the first.
    assert.equal((data as Record<string, string>).coupon_type_0, 'CASH');
  });

  it('takes the merchant where an APIv2 endpoint names it otherwise: mchid, combine_mch_id', async () => {
    const settlement = await wxpay.v2.pay.settlementquery.post({ xml: { appid: 'wxd678efh567hg6787', mchid: sandbox.mchid, usetag: 1, offset: 0, limit: 10, date_start: '20261101', date_end: '20261128' } });
    assert.equal(settlement.data.result_code, 'SUCCESS');
    const combined = await wxpay.v2.pay.querycombinedorder.post({ xml: { combine_appid: 'wxd678efh567hg6787', combine_mch_id: sandbox.mchid, sign_type: 'HMAC-SHA256', combine_out_trade_no: 'C-1' } });
    assert.equal(combined.data.combine_out_trade_no, 'C-1');
  });

  it('refuses APIv2 fields the catalogue requires or bounds with an unsigned FAIL naming the field', async () => {
    const missing = await refusal(untyped(wxpay.v2.pay.orderquery).post({ xml: { mch_id: sandbox.mchid, out_trade_no: 'T-V2-2' } }));
    assert.deepEqual([missing.code, missing.message], ['FAIL', '缺少参数appid']);
    const outside = await refusal(untyped(wxpay.v2.pay.settlementquery).post({ xml: { appid: 'wx1', mchid: sandbox.mchid, usetag: 3, offset: 0, limit: 10, date_start: '20261101', date_end: '20261128' } }));
    assert.deepEqual([outside.code, outside.message], ['FAIL', 'usetag参数错误: must be one of 1, 2']);
  });
});
