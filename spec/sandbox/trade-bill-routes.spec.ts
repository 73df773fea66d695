// The trade bill routes over HTTP, downloaded with the SDK's downloadBill: a day with sandbox
// transactions gets a bill written from them, a snapshot taken when it is asked; any other day
// keeps the made-up bill.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiError, downloadBill, downloadFile, Wechatpay } from '../../lib';
import { Sandbox } from '../../lib/sandbox';
import { billRows } from '../support/gateway-answers';
import { scriptedServer, type ScriptedServer } from '../support/scripted-server';

const SUB_MCHID = '1900000109';

describe('the sandbox trade bill of a day with transactions', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  let merchant: ScriptedServer;
  let billDate: string;
  before(async () => {
    sandbox = await Sandbox.start();
    wxpay = new Wechatpay(sandbox.clientOptions);
    merchant = await scriptedServer([204]);
    const order = { description: 'tea', notify_url: merchant.url, amount: { total: 880 } };
    await wxpay.v3.pay.transactions.native.post({ json: { appid: 'wx1', mchid: sandbox.mchid, out_trade_no: 'T-BILLS-01', ...order } });
    await wxpay.v3.pay.partner.transactions.native.post({ json: { sp_appid: 'wxsp', sp_mchid: sandbox.mchid, sub_mchid: SUB_MCHID, out_trade_no: 'T-BILLS-02', ...order } });
    await wxpay.v3.pay.transactions.native.post({ json: { appid: 'wx1', mchid: sandbox.mchid, out_trade_no: 'T-BILLS-03', ...order } });
    const { order: paid } = await sandbox.pay('T-BILLS-01');
    await sandbox.pay('T-BILLS-02', { sub_mchid: SUB_MCHID });
    billDate = (paid.success_time ?? '').slice(0, 10);
  });
  after(() => Promise.all([sandbox.close(), merchant.close()]));

  it('serves a bill written from the day’s payments, the unpaid order left out, the same bytes gzipped or not', async () => {
    const plain = await downloadBill(wxpay, { type: 'trade', bill_date: billDate });
    assert.deepEqual(billRows(plain.data).map((row) => [row[6], row[9], row[12]]), [['T-BILLS-01', 'SUCCESS', '8.80'], ['T-BILLS-02', 'SUCCESS', '8.80']]);
    const gzipped = await downloadBill(wxpay, { type: 'trade', bill_date: billDate, tar_type: 'GZIP' });
    assert.deepEqual(gzipped.data, plain.data);
    assert.equal(gzipped.hash_value, plain.hash_value);
  });

  it('takes the bill as it stands when asked: a refund accepted later is in the next bill only', async () => {
    const before = await wxpay.v3.bill.tradebill.get({ query: { bill_date: billDate } });
    await wxpay.v3.refund.domestic.refunds.post({ json: { out_trade_no: 'T-BILLS-01', out_refund_no: 'R-BILLS-01', amount: { refund: 80, total: 880, currency: 'CNY' } } });
    const url = new URL(before.data.download_url);
    const earlier = await downloadFile(wxpay, { path: url.pathname.slice(1), query: Object.fromEntries(url.searchParams), expect: { hash_type: before.data.hash_type, hash_value: before.data.hash_value } });
    assert.equal(billRows(earlier.data).length, 2);
    const later = await downloadBill(wxpay, { type: 'trade', bill_date: billDate });
    assert.deepEqual(billRows(later.data).map((row) => [row[6], row[9], row[15], row[16]]), [['T-BILLS-01', 'SUCCESS', '0', '0.00'], ['T-BILLS-02', 'SUCCESS', '0', '0.00'], ['T-BILLS-01', 'REFUND', 'R-BILLS-01', '0.80']]);
  });

  it('serves payments only for SUCCESS, refunds only for REFUND, one sub-merchant’s only for sub_mchid', async () => {
    assert.deepEqual(billRows((await downloadBill(wxpay, { type: 'trade', bill_date: billDate, bill_type: 'SUCCESS' })).data).map((row) => row[9]), ['SUCCESS', 'SUCCESS']);
    assert.deepEqual(billRows((await downloadBill(wxpay, { type: 'trade', bill_date: billDate, bill_type: 'REFUND' })).data).map((row) => row[15]), ['R-BILLS-01']);
    assert.deepEqual(billRows((await downloadBill(wxpay, { type: 'trade', bill_date: billDate, sub_mchid: SUB_MCHID })).data).map((row) => [row[3], row[6]]), [[SUB_MCHID, 'T-BILLS-02']]);
  });

  it('keeps the made-up bills for days without sandbox transactions, and for the fund-flow bill', async () => {
    const other = await downloadBill(wxpay, { type: 'trade', bill_date: '2020-01-02' });
    assert.deepEqual(other.data, sandbox.bills.csv({ type: 'trade', bill_date: '2020-01-02' }));
    const fundflow = await downloadBill(wxpay, { type: 'fundflow', bill_date: billDate });
    assert.deepEqual(fundflow.data, sandbox.bills.csv({ type: 'fundflow', bill_date: billDate }));
    await assert.rejects(downloadBill(wxpay, { type: 'trade', bill_date: '2000-01-01' }), (error: unknown) => error instanceof ApiError && error.apiCode === 'NO_STATEMENT_EXIST');
  });

  it('answers 400 INVALID_REQUEST for a download token of its own it does not hold', async () => {
    await assert.rejects(downloadFile(wxpay, { path: 'v3/billdownload/file', query: { token: 'day-00000000' }, expect: { hash_type: 'SHA1', hash_value: '0' } }), (error: unknown) => error instanceof ApiError && error.response?.status === 400 && error.apiCode === 'INVALID_REQUEST');
  });
});
