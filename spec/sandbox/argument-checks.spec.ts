// What a test gives the sandbox's methods (routes, payment and transfer outcomes, bill
// definitions) is checked when given: a value the sandbox cannot act on is refused, naming the
// field, and changes nothing, rather than doing nothing while the test that relied on it passes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { ApiError, type Wechatpay } from '../../lib';
import type { BillDefinition, NotificationEvent, PaymentOutcomeState, Route, Sandbox, TransferOutcomeState, V2Route } from '../../lib/sandbox';
import { invalidArgumentMatching } from '../support/assertions';
import { startSandbox } from '../support/sandbox';


describe('the arguments of the sandbox’s methods', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  before(async () => ({ sandbox, wxpay } = await startSandbox()));
  after(() => sandbox.close());

  it('refuses a route it could never serve, naming the field, and registers nothing', async () => {
    const handle = () => ({ json: { served: true } });
    const refusals: [unknown, RegExp][] = [
      [{ path: '/v3/never', handle }, /^sandbox\.route\(\): route\.method: expected 'GET', 'POST', 'PUT', 'PATCH' or 'DELETE'$/],
      [{ method: 'FETCH', path: '/v3/never', handle }, /^sandbox\.route\(\): route\.method: /],
      [{ method: 'GET', path: 'v3/never', handle }, /^sandbox\.route\(\): route\.path: expected a path from the root, such as \/v3\/pay\/transactions\/id\/\{transaction_id\}$/],
      [{ method: 'GET', path: '/v3/never' }, /^sandbox\.route\(\): route\.handle: expected a function$/],
      [{ method: 'GET', path: '/v3/never', handle, answer: handle }, /^sandbox\.route\(\): route\.answer: unknown; a route takes method, path and handle$/],
      ['/v3/never', /^sandbox\.route\(\): route: expected an object with method, path and handle$/],
    ];
    for (const [route, message] of refusals) assert.throws(() => sandbox.route(route as Route), invalidArgumentMatching(message), inspect(route));
    const v2Refusals: [unknown, RegExp][] = [
      [{ path: 'pay/never', handle }, /^sandbox\.routeV2\(\): route\.path: expected a path from the root, such as \/pay\/micropay$/],
      [{ path: '/pay/never', mutualTls: 'yes', handle }, /^sandbox\.routeV2\(\): route\.mutualTls: expected true or false$/],
      [{ path: '/pay/never' }, /^sandbox\.routeV2\(\): route\.handle: expected a function$/],
    ];
    for (const [route, message] of v2Refusals) assert.throws(() => sandbox.routeV2(route as V2Route), invalidArgumentMatching(message), inspect(route));
    const error = await wxpay.chain('v3/never').get().catch((e: unknown) => e);
    assert.ok(error instanceof ApiError && error.response?.status === 404, String(error));
  });

  it('refuses an outcome it does not know, leaving the order unpaid', async () => {
    await wxpay.v3.pay.transactions.native.post({ json: { appid: 'wx1', mchid: sandbox.mchid, description: 'tea', out_trade_no: 'T-ARG-01', notify_url: 'http://127.0.0.1:9/notify', amount: { total: 10 } } });
    for (const outcome of ['SUCESS', 'success', 7]) {
      await assert.rejects(sandbox.pay('T-ARG-01', { outcome: outcome as PaymentOutcomeState }), invalidArgumentMatching(/^sandbox\.pay\(\): options\.outcome: expected 'SUCCESS', 'PAYERROR' or 'CLOSED'$/), String(outcome));
    }
    await assert.rejects(sandbox.pay('T-ARG-01', { sub_mchid: 1900000109 } as unknown as { sub_mchid: string }), invalidArgumentMatching(/^sandbox\.pay\(\): options\.sub_mchid: expected a string$/));
    await assert.rejects(sandbox.payCombined('C-ARG-01', { outcome: 'OK' as PaymentOutcomeState }), invalidArgumentMatching(/^sandbox\.payCombined\(\): options\.outcome: /));
    const { data } = await wxpay.v3.pay.transactions.outTradeNo._out_trade_no_.get({ out_trade_no: 'T-ARG-01', query: { mchid: sandbox.mchid } });
    assert.equal(data.trade_state, 'NOTPAY');
  });

  it('refuses a transfer outcome it does not know, leaving the bill waiting for its payee', async () => {
    const json = { appid: 'wx1', out_bill_no: 'TARG0001', openid: 'o-payee', transfer_amount: 500, transfer_remark: '报销', transfer_scene_id: '1005' as const, transfer_scene_report_infos: [{ info_type: '岗位类型', info_content: '外卖员' }] };
    await wxpay.v3.fundApp.mchTransfer.transferBills.post({ json });
    await assert.rejects(sandbox.confirmTransfer('TARG0001', { outcome: 'OK' as TransferOutcomeState }), invalidArgumentMatching(/^sandbox\.confirmTransfer\(\): options\.outcome: expected 'SUCCESS' or 'FAIL'$/));
    const { data } = await wxpay.v3.fundApp.mchTransfer.transferBills.outBillNo._out_bill_no_.get({ out_bill_no: 'TARG0001' });
    assert.equal(data.state, 'WAIT_USER_CONFIRM');
  });

  it('refuses a notification it cannot send, naming what is wrong, with the promise it answers', async () => {
    const event = { event_type: 'TRANSACTION.SUCCESS', resource: { out_trade_no: 'T-ARG-02' } };
    const refusals: [unknown, unknown, RegExp][] = [
      ['not a url', event, /^sandbox\.notify\(\): url: expected an http or https URL$/],
      ['ftp://127.0.0.1/notify', event, /^sandbox\.notify\(\): url: /],
      ['http://127.0.0.1:9/notify', undefined, /^sandbox\.notify\(\): event: expected an object with resource/],
      ['http://127.0.0.1:9/notify', { event_type: 'TRANSACTION.SUCCESS' }, /^sandbox\.notify\(\): event\.resource: expected the resource to encrypt$/],
      ['http://127.0.0.1:9/notify', { ...event, event_type: 7 }, /^sandbox\.notify\(\): event\.event_type: expected a string$/],
      ['http://127.0.0.1:9/notify', { ...event, eventType: 'X' }, /^sandbox\.notify\(\): event\.eventType: unknown; a notification event takes resource, event_type, resource_type, summary, id, create_time and associated_data$/],
    ];
    for (const [url, given, message] of refusals) await assert.rejects(sandbox.notify(url as string, given as NotificationEvent), invalidArgumentMatching(message), inspect([url, given]));
  });

  it('refuses a bill definition it cannot make, and keeps serving the day’s bill as it was', async () => {
    const refusals: [string, unknown, RegExp][] = [
      ['2026-11-2', {}, /^sandbox\.bills\.define\(\): bill_date: expected YYYY-MM-DD$/],
      ['2026-11-19', { rows: -1 }, /^sandbox\.bills\.define\(\): definition\.rows: expected a whole number from 0 to /],
      ['2026-11-19', { bytes: 0 }, /^sandbox\.bills\.define\(\): definition\.bytes: expected a whole number from 1 to /],
      ['2026-11-19', { rows: 5, bytes: 100 }, /^sandbox\.bills\.define\(\): definition: give rows or bytes, not both$/],
      ['2026-11-19', { fault: 'tamper' }, /^sandbox\.bills\.define\(\): definition\.fault: expected 'tampered' or 'cut'$/],
      ['2026-11-19', { downloadOrigin: 'elsewhere.example' }, /^sandbox\.bills\.define\(\): definition\.downloadOrigin: expected an origin, such as https:\/\/elsewhere\.example$/],
      ['2026-11-19', { row: 5 }, /^sandbox\.bills\.define\(\): definition\.row: unknown; a bill definition takes rows, bytes, fault and downloadOrigin$/],
      ['2026-11-19', 5, /^sandbox\.bills\.define\(\): definition: expected an object/],
    ];
    for (const [day, definition, message] of refusals) assert.throws(() => sandbox.bills.define(day, definition as BillDefinition), invalidArgumentMatching(message), inspect(definition));
    const { data } = await wxpay.v3.bill.tradebill.get({ query: { bill_date: '2026-11-19' } });
    assert.ok(data.download_url.startsWith(sandbox.baseURL), 'the bill is the sandbox’s own');
    assert.equal(sandbox.bills.csv({ type: 'trade', bill_date: '2026-11-19' }).toString('utf8').split('\r\n').length, 20 + 4, 'twenty rows, as by default');
  });
});
