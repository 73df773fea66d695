// The merchant transfer routes over HTTP, through the SDK's typed client: bills placed with the
// payee's name encrypted to the platform key, queried by either number, cancelled while they
// wait; and each malformed request refused naming its field. Every answer fits the catalogue.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Rsa, untyped, Wechatpay } from '../../lib';
import { Sandbox } from '../../lib/sandbox';
import { assertCatalogueAnswer } from '../support/catalogue-answer';
import { refused } from '../support/gateway-answers';

const BASE = 'v3/fund-app/mch-transfer/transfer-bills';

/** A transfer request of `transfer_amount` fen, without a payee name. */
function transfer(out_bill_no: string, transfer_amount = 500) {
  return {
    appid: 'wxf636efh567hg4356',
    out_bill_no,
    openid: 'o-MYE42l80oelYMDE34nYD456Xoy',
    transfer_amount,
    transfer_remark: '注册会员有礼',
    transfer_scene_id: '1000' as const,
    transfer_scene_report_infos: [
      { info_type: '活动名称', info_content: '注册会员有礼' },
      { info_type: '奖励说明', info_content: '现金奖励' },
    ],
  };
}

describe('the sandbox transfer routes', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  const bills = () => wxpay.v3.fundApp.mchTransfer.transferBills;

  before(async () => {
    sandbox = await Sandbox.start({ mode: 'public-key' });
    wxpay = new Wechatpay(sandbox.clientOptions);
  });
  after(() => sandbox.close());

  it('places a bill WAIT_USER_CONFIRM, with the payee’s name encrypted to the platform key, and finds it by either number', async () => {
    const { data } = await bills().post({ json: { ...transfer('TRB0001', 250_000), user_name: '张三' }, encrypt: ['user_name'] });
    assert.deepEqual([data.out_bill_no, data.state], ['TRB0001', 'WAIT_USER_CONFIRM']);
    assert.ok(data.package_info);
    await assertCatalogueAnswer('post', BASE, data);
    const byOut = await bills().outBillNo._out_bill_no_.get({ out_bill_no: 'TRB0001' });
    assert.deepEqual(
      [byOut.data.mch_id, byOut.data.transfer_bill_no, byOut.data.state, byOut.data.transfer_amount, byOut.data.openid, byOut.data.appid],
      [sandbox.mchid, data.transfer_bill_no, 'WAIT_USER_CONFIRM', 250_000, 'o-MYE42l80oelYMDE34nYD456Xoy', 'wxf636efh567hg4356'],
    );
    await assertCatalogueAnswer('get', `${BASE}/out-bill-no/TRB0001`, byOut.data);
    const byNo = await bills().transferBillNo._transfer_bill_no_.get({ transfer_bill_no: data.transfer_bill_no });
    assert.deepEqual(byNo.data, byOut.data);
    await assertCatalogueAnswer('get', `${BASE}/transfer-bill-no/${data.transfer_bill_no}`, byNo.data);
  });

  it('answers the same bill to the same request sent again (its name encrypted afresh), and refuses the number for another amount', async () => {
    const first = await bills().post({ json: { ...transfer('TRB0002'), user_name: '李四' }, encrypt: ['user_name'] });
    const again = await bills().post({ json: { ...transfer('TRB0002'), user_name: '李四' }, encrypt: ['user_name'] });
    assert.equal(again.data.transfer_bill_no, first.data.transfer_bill_no);
    await refused(bills().post({ json: { ...transfer('TRB0002', 501), user_name: '李四' }, encrypt: ['user_name'] }), 400, 'INVALID_REQUEST');
  });

  it('cancels a waiting bill: CANCELING at once, CANCELLED a moment later; a paid bill refuses (400 INVALID_REQUEST)', async () => {
    await bills().post({ json: transfer('TRB0003') });
    const { data } = await bills().outBillNo._out_bill_no_.cancel.post({ out_bill_no: 'TRB0003' });
    assert.equal(data.state, 'CANCELING');
    await assertCatalogueAnswer('post', `${BASE}/out-bill-no/TRB0003/cancel`, data);
    const { bill } = await sandbox.transferSettled('TRB0003');
    assert.equal(bill.state, 'CANCELLED');
    const queried = await bills().outBillNo._out_bill_no_.get({ out_bill_no: 'TRB0003' });
    assert.equal(queried.data.state, 'CANCELLED');
    const cancelledAgain = await bills().outBillNo._out_bill_no_.cancel.post({ out_bill_no: 'TRB0003' });
    assert.equal(cancelledAgain.data.state, 'CANCELLED');
    await bills().post({ json: transfer('TRB0004') });
    await sandbox.confirmTransfer('TRB0004');
    const { message } = await refused(bills().outBillNo._out_bill_no_.cancel.post({ out_bill_no: 'TRB0004' }), 400, 'INVALID_REQUEST');
    assert.match(message ?? '', /无法撤销/);
  });

  it('answers 404 NOT_FOUND for a bill it does not know, by either number and to a cancel', async () => {
    await refused(bills().outBillNo._out_bill_no_.get({ out_bill_no: 'TRBNONE' }), 404, 'NOT_FOUND');
    await refused(bills().transferBillNo._transfer_bill_no_.get({ transfer_bill_no: '1330000000000000000000000000000000000000' }), 404, 'NOT_FOUND');
    await refused(bills().outBillNo._out_bill_no_.cancel.post({ out_bill_no: 'TRBNONE' }), 404, 'NOT_FOUND');
  });

  it('refuses a name it cannot decrypt, or encrypted to a key the serial does not name, in a 400 PARAM_ERROR that says so', async () => {
    const plain = await refused(bills().post({ json: { ...transfer('TRB0005'), user_name: '张三' } }), 400, 'PARAM_ERROR');
    assert.match(plain.message ?? '', /^(Wechatpay-Serial undefined names no platform key|user_name does not decrypt)/);
    const [platform] = sandbox.platformKeys;
    const foreign = Rsa.encrypt('张三', sandbox.merchant.publicKeyPem);
    const wrongKey = await refused(bills().post({ json: { ...transfer('TRB0006'), user_name: foreign }, headers: { 'Wechatpay-Serial': platform.id } }), 400, 'PARAM_ERROR');
    assert.equal(wrongKey.message, `user_name does not decrypt with the platform key ${platform.id}`);
    const unknownSerial = await refused(bills().post({ json: { ...transfer('TRB0007'), user_name: foreign }, headers: { 'Wechatpay-Serial': 'PUB_KEY_ID_0000000000000000000000000000' } }), 400, 'PARAM_ERROR');
    assert.match(unknownSerial.message ?? '', /names no platform key/);
  });

  it('names the field a malformed transfer lacks or gets wrong, in a 400 PARAM_ERROR', async () => {
    const check = async (json: Record<string, unknown>) => (await refused(untyped(bills()).post({ json }), 400, 'PARAM_ERROR')).message;
    assert.equal(await check({ ...transfer('TRB0008'), openid: undefined }), 'openid is required');
    assert.equal(await check({ ...transfer('TRB0008'), transfer_amount: 0 }), 'transfer_amount must be at least 1');
    assert.equal(await check({ ...transfer('TRB0008'), transfer_amount: 1.5 }), 'transfer_amount must be a whole number');
    assert.match((await check({ ...transfer('TRB0008'), transfer_scene_id: '9999' })) ?? '', /^transfer_scene_id does not have the expected format/);
    assert.equal(await check({ ...transfer('TRB0008'), transfer_scene_report_infos: [] }), 'transfer_scene_report_infos must have at least 1 item');
    assert.equal(await check({ ...transfer('TRB0008'), transfer_scene_report_infos: [{ info_type: '活动名称' }] }), 'transfer_scene_report_infos.0.info_content is required');
    assert.match((await check({ ...transfer('TRB0008'), out_bill_no: 'TRB-0008' })) ?? '', /^out_bill_no does not have the expected format/);
    assert.equal(await check(transfer('TRB0008', 200_000)), 'user_name is required when transfer_amount is 200000 (2,000 yuan) or more');
  });
});
