// The transfer flows a test drives: sandbox.confirmTransfer() and the MCHTRANSFER.BILL.FINISHED it
// delivers, a cancelled bill ending by itself and notifying, retries, and close() stopping them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Wechatpay } from '../../lib';
import { Sandbox, SandboxFlowError } from '../../lib/sandbox';
import { scriptedServer, verifiedArrivals } from '../support/scripted-server';

/** Asserts a promise rejects with a SandboxFlowError of `code`. */
async function flowError(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof SandboxFlowError && error.code === code);
}

describe('the sandbox transfer flows', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  before(async () => {
    sandbox = await Sandbox.start();
    wxpay = new Wechatpay(sandbox.clientOptions);
  });
  after(() => sandbox.close());

  /** Places a transfer of ¥5 to a payee, notified to `notify_url` when given. */
  const place = (out_bill_no: string, notify_url?: string) =>
    wxpay.v3.fundApp.mchTransfer.transferBills.post({
      json: { appid: 'wxf636efh567hg4356', out_bill_no, openid: 'o-payee', transfer_amount: 500, transfer_remark: '报销', transfer_scene_id: '1005', transfer_scene_report_infos: [{ info_type: '岗位类型', info_content: '外卖员' }], ...(notify_url ? { notify_url } : {}) },
    });

  it('pays a confirmed bill and delivers a signed, encrypted MCHTRANSFER.BILL.FINISHED carrying it', async () => {
    const merchant = await scriptedServer([200]);
    after(() => merchant.close());
    const { data } = await place('TFL0001', merchant.url);
    const { bill, delivery } = await sandbox.confirmTransfer('TFL0001');
    assert.deepEqual([bill.state, delivery?.acknowledged, delivery?.attempts], ['SUCCESS', true, 1]);
    const [event] = await verifiedArrivals(merchant, sandbox);
    assert.equal(event.event_type, 'MCHTRANSFER.BILL.FINISHED');
    if (event.event_type !== 'MCHTRANSFER.BILL.FINISHED') return;
    assert.deepEqual(event.resource, { mch_id: sandbox.mchid, out_bill_no: 'TFL0001', transfer_bill_no: data.transfer_bill_no, state: 'SUCCESS', transfer_amount: 500, openid: 'o-payee', create_time: bill.create_time, update_time: bill.update_time });
    const raw = JSON.parse(merchant.arrivals[0].body) as { resource: { original_type: string } };
    assert.equal(raw.resource.original_type, 'mch_payment');
    const queried = await wxpay.v3.fundApp.mchTransfer.transferBills.outBillNo._out_bill_no_.get({ out_bill_no: 'TFL0001' });
    assert.equal(queried.data.state, 'SUCCESS');
  });

  it('fails a bill when asked, notifying the reason, and retries a server that answered 500 first', async () => {
    const merchant = await scriptedServer([500, 204]);
    after(() => merchant.close());
    await place('TFL0002', merchant.url);
    const { bill, delivery } = await sandbox.confirmTransfer('TFL0002', { outcome: 'FAIL' });
    assert.deepEqual([bill.state, bill.fail_reason], ['FAIL', 'PAYEE_ACCOUNT_ABNORMAL']);
    assert.deepEqual(delivery?.history.map(({ status }) => status), [500, 204]);
    const events = await verifiedArrivals(merchant, sandbox);
    assert.equal(new Set(events.map(({ id }) => id)).size, 1, 'one notification, sent twice');
  });

  it('ends a cancelled bill CANCELLED and notifies it; transferSettled() waits for a bill placed before it ends', async () => {
    const merchant = await scriptedServer([204]);
    after(() => merchant.close());
    await place('TFL0003', merchant.url);
    const settled = sandbox.transferSettled('TFL0003');
    await wxpay.v3.fundApp.mchTransfer.transferBills.outBillNo._out_bill_no_.cancel.post({ out_bill_no: 'TFL0003' });
    const { bill, delivery } = await settled;
    assert.deepEqual([bill.state, delivery?.acknowledged], ['CANCELLED', true]);
    const [event] = await verifiedArrivals(merchant, sandbox);
    assert.equal(event.event_type === 'MCHTRANSFER.BILL.FINISHED' && event.resource.state, 'CANCELLED');
    await flowError(sandbox.confirmTransfer('TFL0003'), 'NOT_CONFIRMABLE');
  });

  it('sends nothing for a bill without a notify_url, and refuses steps for bills never placed', async () => {
    await place('TFL0004');
    const { bill, delivery } = await sandbox.confirmTransfer('TFL0004');
    assert.deepEqual([bill.state, delivery], ['SUCCESS', undefined]);
    await flowError(sandbox.confirmTransfer('TFL-NONE'), 'NOT_FOUND');
    await flowError(sandbox.transferSettled('TFL-NONE'), 'NOT_FOUND');
  });

  it('stops on close(): a cancelled bill stays CANCELING, and whatever waits for a bill resolves', async () => {
    const slow = await Sandbox.start({ transferCancelDelayMs: 60_000 });
    const client = new Wechatpay(slow.clientOptions);
    const json = { appid: 'wx1', openid: 'o-payee', transfer_amount: 500, transfer_remark: '报销', transfer_scene_id: '1000' as const, transfer_scene_report_infos: [{ info_type: '活动名称', info_content: '会员有礼' }] };
    await client.v3.fundApp.mchTransfer.transferBills.post({ json: { ...json, out_bill_no: 'TFL0005' } });
    await client.v3.fundApp.mchTransfer.transferBills.post({ json: { ...json, out_bill_no: 'TFL0006' } });
    await client.v3.fundApp.mchTransfer.transferBills.post({ json: { ...json, out_bill_no: 'TFL0007' } });
    await client.v3.fundApp.mchTransfer.transferBills.outBillNo._out_bill_no_.cancel.post({ out_bill_no: 'TFL0005' });
    const cancelling = slow.transferSettled('TFL0005');
    const waiting = slow.transferSettled('TFL0006');
    await slow.close();
    assert.deepEqual([(await cancelling).bill.state, (await waiting).bill.state], ['CANCELING', 'WAIT_USER_CONFIRM']);
    const late = await Promise.race([slow.transferSettled('TFL0007'), new Promise((resolve) => setTimeout(resolve, 1000, 'still waiting'))]);
    assert.equal(typeof late === 'object' && late !== null && 'bill' in late && (late.bill as { state: string }).state, 'WAIT_USER_CONFIRM', 'asked after close(), it answers the bill as it stands');
  });
});
