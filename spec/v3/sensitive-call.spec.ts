import assert from 'node:assert/strict';
import { constants, privateDecrypt, publicEncrypt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ApiError, DecryptionError, ErrorCode, OptionError, Wechatpay, type ChainNode } from '../../lib';
import { Sandbox } from '../../lib/sandbox';

/** The sandbox's presign endpoint takes a partial body, so these calls go untyped (the catalogue requires plan_id and more). */
const presignOf = (wxpay: Wechatpay): ChainNode => wxpay.v3.creditRepayment.partner.contracts.appPresign;

const IDENTITY = { identity_type: 'REAL_IDENTITY_TYPE_ID_CARD', identity_id: '110101199003074477', real_name: '张三' };

/** Decrypts with node:crypto directly, not with the SDK's Rsa. */
function oaepDecrypt(ciphertext: string, privateKeyPem: string): string {
  return privateDecrypt({ key: privateKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(ciphertext, 'base64')).toString('utf8');
}

for (const mode of ['certificate', 'public-key', 'migration'] as const) {
  describe(`sensitive fields in ${mode} mode`, () => {
    let sandbox: Sandbox;
    let wxpay: Wechatpay;
    before(async () => {
      sandbox = await Sandbox.start({ mode });
      wxpay = new Wechatpay(sandbox.clientOptions);
    });
    after(() => sandbox.close());

    it('encrypts the named fields to the current platform key and names that key in Wechatpay-Serial', async () => {
      const json = { appid: 'wxd678efh567hg6787', real_identity: { ...IDENTITY } };
      const { data } = await presignOf(wxpay).post({ json, encrypt: ['real_identity.real_name', 'real_identity.identity_id'] });
      assert.match((data as { presign_token: string }).presign_token, /^presign_/);
      const received = sandbox.requests[sandbox.requests.length - 1];
      const serial = String(received.headers['wechatpay-serial']);
      const platform = sandbox.platformKeys.find((key) => key.id === serial);
      assert.ok(platform, `Wechatpay-Serial ${serial} is one of the gateway's keys`);
      if (mode !== 'certificate') assert.match(serial, /^PUB_KEY_ID_/);
      const sent = (JSON.parse(received.body.toString()) as { real_identity: typeof IDENTITY }).real_identity;
      assert.equal(sent.identity_type, IDENTITY.identity_type, 'fields not named stay plain');
      assert.equal(oaepDecrypt(sent.real_name, platform.privateKeyPem), '张三');
      assert.equal(oaepDecrypt(sent.identity_id, platform.privateKeyPem), IDENTITY.identity_id);
      assert.equal(json.real_identity.real_name, '张三', "the caller's json is not changed");
    });

    it('decrypts a field of the answer encrypted to the merchant key, after verification', async () => {
      const { data } = await wxpay.v3.merchantService.complaintsV2._complaint_id_.get({ complaint_id: '200201820200101080076610000', decrypt: ['payer_phone'] });
      assert.equal((data as { payer_phone: string }).payer_phone, '13800138000');
    });
  });
}

describe('sensitive fields that go wrong', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  before(async () => {
    sandbox = await Sandbox.start({ mode: 'migration' });
    wxpay = new Wechatpay(sandbox.clientOptions);
  });
  after(() => sandbox.close());

  it('lets the gateway refuse fields sent in the clear (the sandbox checks they decrypt)', async () => {
    await assert.rejects(
      presignOf(wxpay).post({ json: { real_identity: { ...IDENTITY } } }),
      (error: unknown) => error instanceof ApiError && error.apiCode === 'PARAM_ERROR' && /does not decrypt/.test(error.apiMessage ?? ''),
    );
  });

  it('encrypts to the key a Wechatpay-Serial header names, when the call gives one', async () => {
    const [certificate] = sandbox.platformKeys;
    await presignOf(wxpay).post({ json: { real_identity: { ...IDENTITY } }, encrypt: ['real_identity.real_name', 'real_identity.identity_id'], headers: { 'wechatpay-serial': certificate.id } });
    const received = sandbox.requests[sandbox.requests.length - 1];
    assert.equal(received.headers['wechatpay-serial'], certificate.id);
    const sent = (JSON.parse(received.body.toString()) as { real_identity: typeof IDENTITY }).real_identity;
    assert.equal(oaepDecrypt(sent.real_name, certificate.privateKeyPem), '张三');
  });

  it('refuses, before sending, a Wechatpay-Serial that names no known key, encrypt without json, and bad paths', async () => {
    const count = sandbox.requests.length;
    const presign = presignOf(wxpay);
    await assert.rejects(presign.post({ json: { real_identity: IDENTITY }, encrypt: ['real_identity.real_name'], headers: { 'Wechatpay-Serial': 'ABCDEF' } }), (error: unknown) => error instanceof OptionError && /encrypt: Wechatpay-Serial ABCDEF names no key/.test(error.message));
    await assert.rejects(presign.post({ body: '{}', encrypt: ['a'] }), (error: unknown) => error instanceof OptionError && /the call has no json/.test(error.message));
    await assert.rejects(presign.post({ json: {}, encrypt: 'real_name' as unknown as string[] }), (error: unknown) => error instanceof OptionError && error.code === ErrorCode.INVALID_OPTION);
    await assert.rejects(wxpay.v3.merchantService.complaintsV2._complaint_id_.get({ complaint_id: '1', decrypt: ['a..b'] }), OptionError);
    assert.equal(sandbox.requests.length, count);
  });

  it('fails with a DecryptionError when an answer field is not encrypted to the merchant key', async () => {
    sandbox.route({ method: 'GET', path: '/v3/merchant-service/complaints-v2/{complaint_id}', handle: () => ({ json: { payer_phone: publicEncrypt({ key: sandbox.platformKeys[0].publicKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from('1')).toString('base64') } }) });
    await assert.rejects(wxpay.v3.merchantService.complaintsV2._complaint_id_.get({ complaint_id: '1', decrypt: ['payer_phone'] }), (error: unknown) => error instanceof DecryptionError && error.code === ErrorCode.DECRYPTION_FAILED);
  });
});
