import assert from 'node:assert/strict';
import { createPrivateKey, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ErrorCode, MediaUpload, PaymentParams, Wechatpay, WechatpayError, type MessageSigner } from '../../lib';
import { Sandbox } from '../../lib/sandbox';

/**
 * A loopback "KMS": it holds the merchant private key and signs whatever bytes it is POSTed,
 * answering the base64 RSA-SHA256 signature. It counts what it signed.
 */
async function startKms(privateKeyPem: string): Promise<{ server: Server; url: string; signed: Buffer[] }> {
  const key = createPrivateKey(privateKeyPem);
  const signed: Buffer[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => {
      const message = Buffer.concat(chunks);
      signed.push(message);
      response.end(sign('sha256', message, key).toString('base64'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sign`, signed };
}

describe('an external signer (option `signer`)', () => {
  let sandbox: Sandbox;
  let kms: Awaited<ReturnType<typeof startKms>>;
  let viaKms: MessageSigner;
  before(async () => {
    sandbox = await Sandbox.start({ mchid: '1900000801' });
    sandbox.route({ method: 'POST', path: '/v3/orders', handle: ({ json }) => ({ json: { received: json } }) });
    sandbox.route({ method: 'GET', path: '/v3/orders', handle: ({ query }) => ({ json: { query } }) });
    kms = await startKms(sandbox.clientOptions.privateKey);
    viaKms = async (message) => (await fetch(kms.url, { method: 'POST', body: new Uint8Array(message) })).text();
  });
  after(async () => {
    kms.server.close();
    await sandbox.close();
  });

  function clientWith(signer: unknown, extra: Record<string, unknown> = {}): Wechatpay {
    const { privateKey, ...rest } = sandbox.clientOptions;
    void privateKey;
    return new Wechatpay({ ...rest, signer: signer as MessageSigner, ...extra });
  }

  it('signs every request through the KMS: JSON bodies, queries and media uploads, verified by the gateway', async () => {
    const wxpay = clientWith(viaKms);
    const before = kms.signed.length;
    assert.deepEqual((await wxpay.v3.orders.post({ json: { out_trade_no: 'KMS-1', note: '中文' } })).data, { received: { out_trade_no: 'KMS-1', note: '中文' } });
    assert.deepEqual((await wxpay.v3.orders.get({ query: { out_trade_no: 'KMS 2', page: 1 } })).data, { query: { out_trade_no: 'KMS 2', page: '1' } });
    const media = await MediaUpload.from(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), { filename: 'a.jpg' });
    const { data } = await wxpay.v3.merchant.media.upload.post({ media });
    assert.ok((data as { media_id?: string }).media_id);
    assert.equal(kms.signed.length, before + 3);
    assert.ok(sandbox.requests.slice(-3).every((request) => request.authorized), 'the gateway verified each signature');
    assert.match(kms.signed[before].toString('utf8'), /^POST\n\/v3\/orders\n\d+\n[0-9A-Za-z]{32}\n\{"out_trade_no":"KMS-1","note":"中文"\}\n$/, 'the KMS got exactly the signing string');
  });

  it('takes a synchronous signer too', async () => {
    const key = createPrivateKey(sandbox.clientOptions.privateKey);
    const wxpay = clientWith((message: Buffer) => sign('sha256', message, key).toString('base64'));
    assert.deepEqual((await wxpay.v3.orders.post({ json: { n: 1 } })).data, { received: { n: 1 } });
  });

  it('fails with SIGNER_FAILED, naming signer, when the signer throws, rejects or answers something that is not a signature; nothing is sent', async () => {
    const arrivals = () => sandbox.requests.length;
    for (const [signer, pattern] of [
      [() => {
        throw new Error('HSM offline (pin=1234)');
      }, /signer: threw or rejected/],
      [() => Promise.reject(new Error('KMS 503')), /signer: threw or rejected/],
      [() => 'not base64!', /signer: expected the base64 RSA-SHA256 signature/],
      [() => Buffer.alloc(10).toString('base64'), /signer: expected the base64 RSA-SHA256 signature/],
      [() => 42, /signer: expected the base64 RSA-SHA256 signature/],
      [() => Buffer.alloc(256, 7).toString('base64').replace(/=+$/, ''), /signer: expected the base64 RSA-SHA256 signature/],
      [() => Buffer.alloc(384, 7).toString('base64'), /signer: expected the base64 RSA-SHA256 signature of 256 bytes/],
    ] as const) {
      const before = arrivals();
      const error = await clientWith(signer).v3.orders.post({ json: {} }).catch((e: unknown) => e);
      assert.ok(error instanceof WechatpayError && error.code === ErrorCode.SIGNER_FAILED, String(error));
      assert.match(error.message, pattern);
      assert.doesNotMatch(error.message, /pin=1234/, 'the signer’s own message stays in cause');
      assert.equal(arrivals(), before, 'nothing was sent');
    }
  });

  it('ends a signer that never answers at the call’s deadline', async () => {
    const timedOut = await clientWith(() => new Promise<string>(() => undefined)).v3.orders.post({ json: {}, timeout: 200 }).catch((e: unknown) => e);
    assert.ok(timedOut instanceof WechatpayError && timedOut.code === ErrorCode.TIMEOUT, String(timedOut));
  });

  it('refuses both privateKey and signer, or a signer that is not a function', () => {
    assert.throws(() => new Wechatpay({ ...sandbox.clientOptions, signer: viaKms }), /privateKey, signer: give one of them, not both/);
    assert.throws(() => clientWith('kms'), /signer: expected a function \(message: Buffer\) =>/);
  });

  it('says clearly what needs the private key itself: decrypting answer fields, and PaymentParams', async () => {
    const error = await clientWith(viaKms).v3.orders.get({ decrypt: ['query.x'] }).catch((e: unknown) => e);
    assert.ok(error instanceof WechatpayError && error.code === ErrorCode.INVALID_OPTION);
    assert.match(error.message, /decrypt.*needs the merchant private key.*signer/);
    assert.throws(() => new PaymentParams({ signer: viaKms } as never), /PaymentParams: signer: not supported; paySign is signed with privateKey/);
  });
});
