import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import axios from 'axios';
import { ApiError, ErrorCode, VerificationError, Wechatpay, WechatpayError, type ChainNode } from '../../lib';
import { Sandbox } from '../../lib/sandbox';

describe('APIv2 end to end against the sandbox over mutual TLS', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  before(async () => {
    sandbox = await Sandbox.start({ tls: true });
    wxpay = new Wechatpay(sandbox.clientOptions);
  });
  after(() => sandbox.close());

  const order = (out_trade_no: string, auth_code = '134567890123456789') => ({
    appid: 'wxd678efh567hg6787', mch_id: sandbox.mchid, body: 'image', out_trade_no, total_fee: '888', spbill_create_ip: '127.0.0.1', auth_code,
  });

  it('pays by micropay from the chained, declared and bracket styles, MD5 and HMAC-SHA256', async () => {
    const nodes = [wxpay.v2.pay.micropay, wxpay.chain('v2/pay/micropay'), wxpay['v2/pay/micropay']];
    for (const [index, node] of nodes.entries()) {
      for (const sign_type of [undefined, 'HMAC-SHA256'] as const) {
        const { data } = await node.post({ xml: { ...order(`MP-${index}-${sign_type ?? 'MD5'}`), ...(sign_type ? { sign_type } : {}) } });
        const fields = data as Record<string, string>;
        assert.deepEqual([fields.return_code, fields.result_code, fields.trade_type], ['SUCCESS', 'SUCCESS', 'MICROPAY']);
      }
    }
  });

  it('pays by micropay with an attach holding CR LF, MD5 and HMAC-SHA256, and reads the same attach back', async () => {
    for (const sign_type of [undefined, 'HMAC-SHA256'] as const) {
      const attach = 'line1\r\nline2\r';
      const { data } = await wxpay.v2.pay.micropay.post({ xml: { ...order(`MP-CR-${sign_type ?? 'MD5'}`), attach, ...(sign_type ? { sign_type } : {}) } });
      const fields = data as Record<string, string>;
      assert.deepEqual([fields.return_code, fields.result_code, fields.attach], ['SUCCESS', 'SUCCESS', attach]);
    }
  });

  it('rejects USERPAYING with an ApiError that keeps the verified answer for polling', async () => {
    await assert.rejects(wxpay.v2.pay.micropay.post({ xml: order('MP-WAIT', '134567890123450000') }), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.apiCode, 'USERPAYING');
      assert.equal((error.response?.data as Record<string, string>).result_code, 'FAIL');
      return true;
    });
  });

  it('refunds over mutual TLS with security: true, and is turned away without it', async () => {
    const refund = { appid: 'wxd678efh567hg6787', mch_id: sandbox.mchid, out_trade_no: 'MP-0-MD5', out_refund_no: 'RF-1', total_fee: '888', refund_fee: '888' };
    // The catalogue requires transaction_id too; the gateway takes either it or out_trade_no, so these calls go untyped.
    const { data } = await wxpay.chain<string>('v2/secapi/pay/refund').post({ xml: refund, security: true });
    assert.equal((data as Record<string, string>).out_refund_no, 'RF-1');
    await assert.rejects((wxpay.v2.secapi.pay.refund as ChainNode).post({ xml: refund }), (error: unknown) => error instanceof ApiError && error.status === 400);
  });

  it('downloads a gzip bill as bytes', async () => {
    const { data } = await wxpay.v2.pay.downloadbill.post({ xml: { appid: 'wxd678efh567hg6787', mch_id: sandbox.mchid, bill_date: '20261124', bill_type: 'ALL', tar_type: 'GZIP' } });
    assert.ok(Buffer.isBuffer(data));
    assert.match(gunzipSync(data).toString('utf8'), /交易时间/);
  });

  it('rejects a tampered answer, a wrong sign and hostile XML, never handing them back as data', async () => {
    sandbox.inject({ type: 'tampered-body' });
    await assert.rejects(wxpay.v2.pay.micropay.post({ xml: order('MP-T1') }), (error: unknown) => error instanceof VerificationError && error.code === ErrorCode.BAD_SIGNATURE);
    sandbox.inject({ type: 'v2-bad-sign' });
    await assert.rejects(wxpay.v2.pay.micropay.post({ xml: order('MP-T2') }), (error: unknown) => error instanceof VerificationError && error.code === ErrorCode.BAD_SIGNATURE);
    sandbox.inject({ type: 'v2-xml', xml: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><return_code>&e;</return_code></xml>' });
    await assert.rejects(wxpay.v2.pay.micropay.post({ xml: order('MP-T3') }), (error: unknown) => error instanceof WechatpayError && error.code === ErrorCode.MALFORMED_BODY);
    sandbox.inject({ type: 'connection-reset' });
    await assert.rejects(wxpay.v2.pay.micropay.post({ xml: order('MP-T4') }), (error: unknown) => axios.isAxiosError(error) && error.response === undefined);
  });

  it('serves APIv3 and APIv2 from one client and one TLS sandbox', async () => {
    const contract = await wxpay.v3.creditRepayment.partner.contracts._out_contract_code_.get({ out_contract_code: 'BOTH-1' });
    assert.equal((contract.data as { out_contract_code: string }).out_contract_code, 'BOTH-1');
  });
});
