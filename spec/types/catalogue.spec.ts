// Compile-time proof that the catalogue types the three path styles, for APIv3 and APIv2: `tsc`
// in `npm test` fails if a positive case stops compiling or a `@ts-expect-error` case starts to.
// The calls sit in functions that are never run; the one runtime test only keeps the file a spec.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { untyped, type ChainNode, type Wechatpay } from '../../lib';
import type { Endpoints } from '@wechatpay-ts/openapi-types/endpoints';

const terminate = { out_contract_code: '100001256', contract_termination_remark: 'remark' };
const micropay = { appid: 'wx8888888888888888', mch_id: '1900000109', body: 'docs', out_trade_no: 'T1', total_fee: 1, spbill_create_ip: '127.0.0.1', auth_code: '134567890123456789' };

export async function v3Positive(wxpay: Wechatpay): Promise<string[]> {
  const chained = await wxpay.v3.creditRepayment.partner.contracts.terminate.post({ json: terminate });
  const declared = await wxpay.chain('v3/credit-repayment/partner/contracts/terminate').post({ json: terminate });
  const slashed = await wxpay.chain('/v3/credit-repayment/partner/contracts/terminate').post({ json: terminate });
  const bracket = await wxpay['v3/credit-repayment/partner/contracts/terminate'].post({ json: terminate, timeout: 5000 });
  // The answer's fields are typed, enums as literal unions: no casts.
  const state: 'CONTRACT_STATE_INVALID' | 'CONTRACT_STATE_EFFECTIVE' | 'CONTRACT_STATE_TERMINATED' | undefined = chained.data.contract_info?.contract_state;
  // Template variables: `_x_`, `$x$` and `{x}` reach the same templated path, and the variable is required.
  const byUnderscore = await wxpay.v3.creditRepayment.partner.contracts._out_contract_code_.get({ out_contract_code: '100001256' });
  const byDollar = await wxpay.v3.creditRepayment.partner.contracts.$out_contract_code$.get({ out_contract_code: '100001256' });
  const byBraces = await wxpay.chain('v3/credit-repayment/partner/contracts/{out_contract_code}').get({ out_contract_code: '1' });
  const byBracket = await wxpay['v3/credit-repayment/partner/contracts/{out_contract_code}'].get({ out_contract_code: '1' });
  // Callback style: same options, the response typed, the call returns void.
  const returned: void = wxpay.v3.creditRepayment.partner.contracts.terminate.post({ json: terminate }, (error, res) => {
    void [error, res?.data.contract_info?.contract_id];
  });
  void returned;
  // Query parameters and enums in them.
  await wxpay.v3.bill.tradebill.get({ query: { bill_date: '2024-01-01', tar_type: 'GZIP' } });
  const typed: Endpoints['v3/credit-repayment/partner/contracts/terminate']['post']['data'] = declared.data;
  return [String(state), typed.contract_info?.plan_id ?? '', slashed.data.contract_info?.appid ?? '', bracket.data.contract_info?.openid ?? '', byUnderscore.data.contract_id, byDollar.data.plan_id, byBraces.data.display_name, byBracket.data.out_contract_code];
}

export async function v3Negative(wxpay: Wechatpay): Promise<void> {
  // @ts-expect-error a required body field is missing
  await wxpay.v3.creditRepayment.partner.contracts.terminate.post({ json: { out_contract_code: '1' } });
  // @ts-expect-error a misspelt body field
  await wxpay.chain('v3/credit-repayment/partner/contracts/terminate').post({ json: { ...terminate, contract_terminaton_remark: 'x' } });
  // @ts-expect-error a misspelt option
  await wxpay['v3/credit-repayment/partner/contracts/terminate'].post({ jsno: terminate });
  // @ts-expect-error the body is required
  await wxpay['v3/credit-repayment/partner/contracts/terminate'].post();
  // @ts-expect-error the template variable is missing
  await wxpay.v3.creditRepayment.partner.contracts._out_contract_code_.get({});
  // @ts-expect-error the template variable is missing
  await wxpay.chain('v3/credit-repayment/partner/contracts/{out_contract_code}').get({});
  // @ts-expect-error a value outside the enum
  await wxpay.v3.bill.tradebill.get({ query: { bill_date: '2024-01-01', tar_type: 'ZIP' } });
  // @ts-expect-error a value outside the enum
  await wxpay['v3/bill/tradebill'].get({ query: { bill_date: '2024-01-01', tar_type: 'ZIP' } });
  const { data } = await wxpay.v3.creditRepayment.partner.contracts.terminate.post({ json: terminate });
  // @ts-expect-error the answer has no such field
  void data.contract_infos;
}

export async function v2Positive(wxpay: Wechatpay): Promise<string[]> {
  const chained = await wxpay.v2.pay.micropay.post({ xml: micropay });
  const declared = await wxpay.chain('v2/pay/micropay').post({ xml: { ...micropay, sign_type: 'HMAC-SHA256' }, nonceless: false });
  const bracket = await wxpay['v2/pay/micropay'].post({ xml: { ...micropay, total_fee: '1' } });
  // APIv2 answers are XML text: every field a string.
  const code: 'SUCCESS' | 'FAIL' | undefined = chained.data.return_code;
  return [String(code), declared.data.result_code ?? '', bracket.data.transaction_id ?? ''];
}

export async function v2Negative(wxpay: Wechatpay): Promise<void> {
  const withoutAuthCode: Omit<typeof micropay, 'auth_code'> & { auth_code?: undefined } = { ...micropay, auth_code: undefined };
  // @ts-expect-error a required field is missing
  await wxpay.v2.pay.micropay.post({ xml: withoutAuthCode });
  // @ts-expect-error a misspelt field
  await wxpay.chain('v2/pay/micropay').post({ xml: { ...micropay, out_trade_number: 'T1' } });
  // @ts-expect-error a value outside the enum
  await wxpay['v2/pay/micropay'].post({ xml: { ...micropay, sign_type: 'SHA1' } });
  // @ts-expect-error APIv3 options on an APIv2 endpoint
  await wxpay.v2.pay.micropay.post({ json: micropay });
}

export async function unknownPaths(wxpay: Wechatpay, dynamic: string): Promise<unknown[]> {
  // Paths the catalogue lacks still work, untyped, in every style.
  const a = await wxpay.v3.brandNew.endpoint.post({ json: { anything: 1 }, brand_new: 'x' });
  const b = await wxpay.chain('v3/brand-new/{id}').get({ id: '1' });
  const c = await wxpay['v3/brand-new/endpoint'].post({ json: {} });
  const d = await wxpay.chain(dynamic).get();
  // An untyped tail under a typed node, and a typed node used untyped on purpose.
  const e = await wxpay.v3.creditRepayment.partner.somethingElse.get();
  const untyped: ChainNode = wxpay.v3.creditRepayment.partner.contracts.terminate;
  const f = await untyped.post({ json: { whatever: true } });
  return [a.data, b.data, c.data, d.data, e.data, f.data];
}

it('type-checks the catalogue for the three path styles (the checks run in tsc)', () => {
  assert.equal(typeof v3Positive, 'function');
});

export async function fitsEveryCaller(wxpay: Wechatpay): Promise<unknown> {
  // A direct merchant's combine order: no sub_mchid in its sub-orders (电商收付通 would give one).
  const { data } = await wxpay.v3.combineTransactions.jsapi.post({
    json: {
      combine_appid: 'wxd678efh567hg6787',
      combine_mchid: '1900000109',
      combine_out_trade_no: 'P20150806125346',
      notify_url: 'https://yourapp.com/notify',
      sub_orders: [{ mchid: '1900000109', attach: '深圳分店', amount: { total_amount: 100, currency: 'CNY' }, out_trade_no: '20150806125346', description: '腾讯充值中心-QQ会员充值' }],
      combine_payer_info: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    },
  });
  // The platform's order still takes it.
  await wxpay['v3/combine-transactions/jsapi'].post({
    json: {
      combine_appid: 'wxd678efh567hg6787',
      combine_mchid: '1900000109',
      combine_out_trade_no: 'P20150806125346',
      notify_url: 'https://yourapp.com/notify',
      sub_orders: [{ mchid: '1900000109', sub_mchid: '1900000110', attach: 'a', amount: { total_amount: 100, currency: 'CNY' }, out_trade_no: '2', description: 'd' }],
      combine_payer_info: { openid: 'o' },
    },
  });
  // A service provider's order paid in the sub-merchant's own app: sub_appid and sub_openid, no sp_openid.
  await wxpay.v3.pay.partner.transactions.jsapi.post({
    json: {
      sp_appid: 'wx8888888888888888',
      sp_mchid: '1230000109',
      sub_appid: 'wxd678efh567hg6999',
      sub_mchid: '1900000109',
      description: 'Image形象店-深圳腾大-QQ公仔',
      out_trade_no: '1217752501201407033233368018',
      notify_url: 'https://www.weixin.qq.com/wxpay/pay.php',
      amount: { total: 100 },
      payer: { sub_openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    },
  });
  return data.prepay_id;
}

export async function escapeHatch(wxpay: Wechatpay): Promise<unknown> {
  // untyped(): the typed path, any options, an unknown answer.
  const { data } = await untyped(wxpay.v3.pay.transactions.jsapi).post({ json: { field_the_catalogue_lacks: 1 } });
  // @ts-expect-error the typed node refuses the same options
  await wxpay.v3.pay.transactions.jsapi.post({ json: { field_the_catalogue_lacks: 1 } });
  // @ts-expect-error untyped() takes a chain node, not any value
  untyped({ post: () => undefined });
  return data;
}
