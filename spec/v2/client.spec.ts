import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Agent } from 'node:https';
import { inspect } from 'node:util';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import axios from 'axios';
import { ApiError, ErrorCode, OptionError, VerificationError, Wechatpay, WechatpayError, type ChainNode } from '../../lib';
import { Sandbox } from '../../lib/sandbox';
import { issueTestPki, type TestPki } from '../support/tls';

const MCHID = '1900000001';
const SECRET = '192006250b4c09247ec02edce69f6a2d';

/** The APIv2 signature, computed here with node:crypto alone. */
function signed(fields: Record<string, string>, type: 'MD5' | 'HMAC-SHA256' = 'MD5'): string {
  const text = `${Object.keys(fields).filter((k) => k !== 'sign' && fields[k] !== '').sort().map((k) => `${k}=${fields[k]}`).join('&')}&key=${SECRET}`;
  return (type === 'MD5' ? createHash('md5').update(text) : createHmac('sha256', SECRET).update(text)).digest('hex').toUpperCase();
}

function toXml(fields: Record<string, string>): string {
  return `<xml>${Object.entries(fields).map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`).join('')}</xml>`;
}

function fieldsOf(xml: string): Record<string, string> {
  const inner = xml.replace(/^\s*<xml>|<\/xml>\s*$/g, '');
  return Object.fromEntries([...inner.matchAll(/<(\w+)>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?<\/\1>/g)].map(([, k, v]) => [k, v]));
}

interface Received {
  path: string;
  fields: Record<string, string>;
  authorized: boolean;
}

type Answer = (fields: Record<string, string>) => { status?: number; body: string | Buffer; type?: string };

/** An APIv2 gateway double over HTTPS: it checks `sign` independently and answers what the test says. */
function gateway(pki: TestPki, strict: boolean) {
  const received: Received[] = [];
  let answer: Answer = (fields) => {
    const reply: Record<string, string> = { return_code: 'SUCCESS', return_msg: 'OK', result_code: 'SUCCESS', mch_id: MCHID, nonce_str: 'r4nd0m', out_trade_no: fields.out_trade_no ?? '' };
    if (fields.sign_type) reply.sign_type = fields.sign_type;
    return { body: toXml({ ...reply, sign: signed(reply, fields.sign_type === 'HMAC-SHA256' ? 'HMAC-SHA256' : 'MD5') }) };
  };
  const server: Server = createServer({ key: pki.serverKey, cert: pki.serverCert, ca: pki.caCert, requestCert: true, rejectUnauthorized: strict }, (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const fields = fieldsOf(Buffer.concat(chunks).toString());
      received.push({ path: req.url ?? '', fields, authorized: (req.socket as TLSSocket).authorized });
      const valid = fields.sign === signed(fields, fields.sign_type === 'HMAC-SHA256' ? 'HMAC-SHA256' : 'MD5');
      const reply = valid ? answer(fields) : { body: toXml({ return_code: 'FAIL', return_msg: '签名错误' }) };
      res.writeHead(reply.status ?? 200, { 'Content-Type': reply.type ?? 'text/xml' }).end(reply.body);
    });
  });
  return {
    server,
    received,
    answerWith(next: Answer) {
      answer = next;
    },
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`https://127.0.0.1:${(server.address() as AddressInfo).port}/`))),
  };
}

describe('APIv2 through the chain', () => {
  let pki: TestPki;
  let lenient: ReturnType<typeof gateway>;
  let strict: ReturnType<typeof gateway>;
  let lenientURL: string;
  let strictURL: string;
  let wxpay: Wechatpay;
  const client = (baseURL: string, extra: Record<string, unknown> = {}) =>
    new Wechatpay({ mchid: MCHID, secret: SECRET, merchant: { cert: pki.merchantCert, key: pki.merchantKey }, baseURL, httpsAgent: new Agent({ ca: pki.caCert }), ...extra });

  before(async () => {
    pki = issueTestPki();
    lenient = gateway(pki, false);
    strict = gateway(pki, true);
    [lenientURL, strictURL] = await Promise.all([lenient.listen(), strict.listen()]);
    wxpay = client(lenientURL);
  });
  after(() => {
    lenient.server.closeAllConnections();
    strict.server.closeAllConnections();
    lenient.server.close();
    strict.server.close();
  });

  const micropay = { appid: 'wxd930ea5d5a258f4f', mch_id: MCHID, body: 'test', out_trade_no: 'T1', total_fee: '1', spbill_create_ip: '127.0.0.1', auth_code: '134567890123456789' };

  it('sends a signed MD5 request from each path style and verifies the signed answer', async () => {
    for (const node of [wxpay.v2.pay.micropay, wxpay.chain('v2/pay/micropay'), wxpay['v2/pay/micropay']]) {
      const { data } = await node.post({ xml: micropay });
      assert.deepEqual((data as Record<string, string>).out_trade_no, 'T1');
      const sent = lenient.received[lenient.received.length - 1];
      assert.equal(sent.path, '/pay/micropay');
      assert.match(sent.fields.nonce_str, /^[0-9A-Za-z]{32}$/);
      assert.equal(sent.fields.sign, signed(sent.fields));
    }
  });

  it('fixes the URL once, so the answer is judged by the URL the request was sent to', async () => {
    const response = await (wxpay.v2.pay.micropay as ChainNode).post({ xml: micropay, query: { trace: 'a b' } });
    assert.equal(response.config.url, `${lenientURL}pay/micropay?trace=a%20b`);
    assert.equal(response.config.baseURL, undefined);
    assert.equal(lenient.received[lenient.received.length - 1].path, '/pay/micropay?trace=a%20b');
  });

  it('signs and verifies with HMAC-SHA256 when sign_type says so', async () => {
    const { data } = await wxpay.v2.pay.micropay.post({ xml: { ...micropay, sign_type: 'HMAC-SHA256' } });
    assert.equal((data as Record<string, string>).sign_type, 'HMAC-SHA256');
    const sent = lenient.received[lenient.received.length - 1];
    assert.equal(sent.fields.sign, signed(sent.fields, 'HMAC-SHA256'));
    assert.equal(sent.fields.sign.length, 64);
  });

  it('leaves nonce_str out when the call is nonceless', async () => {
    await wxpay.v2.pay.micropay.post({ xml: micropay, nonceless: true });
    assert.equal(lenient.received[lenient.received.length - 1].fields.nonce_str, undefined);
  });

  it('refuses a mch_id other than its own before sending anything', async () => {
    const count = lenient.received.length;
    for (const xml of [{ ...micropay, mch_id: '1900000002' }, { mchid: '1900000002' }]) {
      await assert.rejects((wxpay.v2.pay.micropay as ChainNode).post({ xml }), (error: unknown) => error instanceof OptionError && /is not this client's merchant/.test(error.message));
    }
    assert.equal(lenient.received.length, count);
  });

  it('sends the query encoded as APIv3 does (RFC 3986 UTF-8), and refuses a control character in it before sending anything', async () => {
    await (wxpay.v2.pay.micropay as ChainNode).post({ xml: micropay, query: { 'a b': "x y!'😀", n: [1, 2] } });
    assert.equal(lenient.received[lenient.received.length - 1].path, '/pay/micropay?a%20b=x%20y%21%27%F0%9F%98%80&n=1&n=2');
    const count = lenient.received.length;
    await assert.rejects(
      (wxpay.v2.pay.micropay as ChainNode).post({ xml: micropay, query: { q: 'a\r\nb' } }),
      (error: unknown) => error instanceof OptionError && error.code === ErrorCode.INVALID_OPTION && error.message.includes('query "q": U+000D at index 1'),
    );
    assert.equal(lenient.received.length, count);
  });

  it('verifies an answer with the algorithm the request was signed with, whatever the answer claims', async () => {
    const reply = { return_code: 'SUCCESS', result_code: 'SUCCESS', total_fee: '1' };
    const badSignature = (error: unknown) => error instanceof VerificationError && error.code === ErrorCode.BAD_SIGNATURE;
    // An HMAC-SHA256 request answered with MD5: correctly computed, but with the weaker algorithm.
    lenient.answerWith(() => ({ body: toXml({ ...reply, sign: signed(reply, 'MD5') }) }));
    await assert.rejects(wxpay.v2.pay.micropay.post({ xml: { ...micropay, sign_type: 'HMAC-SHA256' } }), badSignature);
    lenient.answerWith(() => ({ body: toXml({ ...reply, sign_type: 'MD5', sign: signed({ ...reply, sign_type: 'MD5' }, 'MD5') }) }));
    await assert.rejects(wxpay.v2.pay.micropay.post({ xml: { ...micropay, sign_type: 'HMAC-SHA256' } }), badSignature);
    // And an MD5 request answered with HMAC-SHA256.
    lenient.answerWith(() => ({ body: toXml({ ...reply, sign: signed(reply, 'HMAC-SHA256') }) }));
    await assert.rejects(wxpay.v2.pay.micropay.post({ xml: micropay }), badSignature);
    // The matching algorithm still verifies.
    lenient.answerWith(() => ({ body: toXml({ ...reply, sign: signed(reply, 'HMAC-SHA256') }) }));
    await wxpay.v2.pay.micropay.post({ xml: { ...micropay, sign_type: 'HMAC-SHA256' } });
  });

  it('rejects an answer whose fields were changed after signing', async () => {
    lenient.answerWith(() => {
      const reply = { return_code: 'SUCCESS', result_code: 'SUCCESS', total_fee: '1' };
      return { body: toXml({ ...reply, sign: signed(reply), total_fee: '100' }) };
    });
    await assert.rejects(wxpay.v2.pay.micropay.post({ xml: micropay }), (error: unknown) => error instanceof VerificationError && error.code === ErrorCode.BAD_SIGNATURE);
    lenient.answerWith(() => ({ body: toXml({ return_code: 'SUCCESS', result_code: 'SUCCESS' }) }));
    await assert.rejects(wxpay.v2.pay.micropay.post({ xml: micropay }), (error: unknown) => error instanceof VerificationError && /sign field is missing/.test(error.message));
  });

  it('says whether a FAIL answer’s fields were verified: return_code FAIL comes unsigned, result_code FAIL signed', async () => {
    lenient.answerWith(() => ({ body: toXml({ return_code: 'FAIL', return_msg: '签名错误' }) }));
    await assert.rejects(wxpay.v2.pay.micropay.post({ xml: micropay }), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.verified, false);
      assert.match(error.message, /unsigned.*not verified/);
      return true;
    });
    lenient.answerWith(() => {
      const reply = { return_code: 'SUCCESS', result_code: 'FAIL', err_code: 'ORDERPAID', err_code_des: '订单已支付' };
      return { body: toXml({ ...reply, sign: signed(reply) }) };
    });
    await assert.rejects(wxpay.v2.pay.micropay.post({ xml: micropay }), (error: unknown) => error instanceof ApiError && error.verified === true && !/not verified/.test(error.message));
  });

  it('rejects return_code FAIL and result_code FAIL with an ApiError that keeps the parsed answer', async () => {
    lenient.answerWith(() => ({ body: toXml({ return_code: 'FAIL', return_msg: '签名错误' }) }));
    await assert.rejects(wxpay.v2.pay.micropay.post({ xml: micropay }), (error: unknown) => error instanceof ApiError && error.apiCode === 'FAIL' && error.apiMessage === '签名错误');
    lenient.answerWith(() => {
      const reply = { return_code: 'SUCCESS', result_code: 'FAIL', err_code: 'USERPAYING', err_code_des: '需要用户输入支付密码' };
      return { body: toXml({ ...reply, sign: signed(reply) }) };
    });
    await assert.rejects(wxpay.v2.pay.micropay.post({ xml: micropay }), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.apiCode, 'USERPAYING');
      assert.equal((error.response?.data as Record<string, string>).err_code_des, '需要用户输入支付密码');
      return true;
    });
  });

  it('refuses XXE, billion-laughs and __proto__ answers as malformed, never as data', async () => {
    const attacks = [
      '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><return_code>&x;</return_code></xml>',
      '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><xml><a>&lol2;</a></xml>',
      '<xml><__proto__><polluted>1</polluted></__proto__><return_code>SUCCESS</return_code></xml>',
    ];
    for (const body of attacks) {
      lenient.answerWith(() => ({ body }));
      await assert.rejects(wxpay.v2.pay.micropay.post({ xml: micropay }), (error: unknown) => error instanceof WechatpayError && error.code === ErrorCode.MALFORMED_BODY);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('hands back a bill as the bytes sent, gzip included, and a bill error as an ApiError', async () => {
    const csv = Buffer.from('交易时间,公众账号ID\n`2026-11-24 10:00:00,`wx1\n');
    lenient.answerWith((fields) => ({ body: fields.tar_type === 'GZIP' ? gzipSync(csv) : csv, type: 'text/plain' }));
    const plain = await wxpay.v2.pay.downloadbill.post({ xml: { appid: 'wx1', mch_id: MCHID, bill_date: '20261124', bill_type: 'ALL' } });
    assert.deepEqual(plain.data, csv);
    const zipped = await wxpay.v2.pay.downloadbill.post({ xml: { appid: 'wx1', mch_id: MCHID, bill_date: '20261124', bill_type: 'ALL', tar_type: 'GZIP' } });
    assert.deepEqual(zipped.data, gzipSync(csv));
    lenient.answerWith(() => ({ body: toXml({ return_code: 'FAIL', return_msg: 'No Bill Exist' }) }));
    await assert.rejects(wxpay.v2.pay.downloadbill.post({ xml: { appid: 'wx1', mch_id: MCHID, bill_date: '20000101' } }), (error: unknown) => error instanceof ApiError && error.apiMessage === 'No Bill Exist');
  });

  it('presents the merchant certificate with security: true, to a server that requires one', async () => {
    const secure = client(strictURL);
    const refund = { appid: 'wx1', mch_id: MCHID, out_trade_no: 'T1', out_refund_no: 'R1', total_fee: '1', refund_fee: '1' };
    // The catalogue requires transaction_id too; the gateway takes either it or out_trade_no, so these calls go untyped.
    const { data } = await secure.chain<string>('v2/secapi/pay/refund').post({ xml: refund, security: true });
    assert.equal((data as Record<string, string>).return_code, 'SUCCESS');
    assert.equal(strict.received[strict.received.length - 1].authorized, true);
    const count = strict.received.length;
    await assert.rejects((secure.v2.secapi.pay.refund as ChainNode).post({ xml: refund }), (error: unknown) => axios.isAxiosError(error) && !(error instanceof ApiError));
    assert.equal(strict.received.length, count, 'without the certificate the handshake fails and nothing is processed');
  });

  it('presents a PKCS#12 merchant certificate too', async () => {
    const secure = client(strictURL, { merchant: { pfx: pki.merchantPfx, passphrase: pki.pfxPassphrase } });
    const { data } = await (secure as ChainNode)['v2/secapi/pay/refund'].post({ xml: { mch_id: MCHID, out_refund_no: 'R2' }, security: true });
    assert.equal((data as Record<string, string>).return_code, 'SUCCESS');
  });

  it('keeps the mutual-TLS identity out of every response, error and config it hands back, PEM and PKCS#12 alike', async () => {
    const refund = { appid: 'wx1', mch_id: MCHID, out_trade_no: 'T1', out_refund_no: 'R3', total_fee: '1', refund_fee: '1' };
    const secrets = [pki.merchantKey.split('\n')[1], pki.merchantPfx.toString('base64').slice(64, 128), pki.pfxPassphrase];
    const leaked = (label: string, text: string) => assert.deepEqual(secrets.filter((secret) => text.includes(secret)), [], `${label} shows key material`);
    for (const merchant of [{ cert: pki.merchantCert, key: pki.merchantKey }, { pfx: pki.merchantPfx, passphrase: pki.pfxPassphrase }]) {
      const res = await client(strictURL, { merchant }).chain<string>('v2/secapi/pay/refund').post({ xml: refund, security: true });
      leaked('inspect(res)', inspect(res, { depth: 8 }));
      // A wrong APIv2 key: the gateway answers FAIL, and the call rejects with the config attached.
      const error: unknown = await client(strictURL, { merchant, secret: 'f'.repeat(32) }).chain<string>('v2/secapi/pay/refund').post({ xml: refund, security: true }).then(
        () => assert.fail('a FAIL answer resolved'),
        (reason: unknown) => reason,
      );
      assert.ok(error instanceof ApiError);
      leaked('JSON.stringify(err)', JSON.stringify(error));
      leaked('err.toJSON()', JSON.stringify(error.toJSON()));
      leaked('inspect(err)', inspect(error, { depth: 8 }));
    }
  });

  it('refuses security: true when no merchant certificate is configured', async () => {
    const bare = new Wechatpay({ mchid: MCHID, secret: SECRET, baseURL: strictURL });
    await assert.rejects((bare.v2.secapi.pay.refund as ChainNode).post({ xml: {}, security: true }), (error: unknown) => error instanceof OptionError && /merchant: \{ cert, key \}/.test(error.message));
  });
});

describe('APIv2 client options', () => {
  let pki: TestPki;
  before(() => (pki = issueTestPki()));

  function refused(options: Record<string, unknown>, pattern: RegExp): void {
    assert.throws(() => new Wechatpay({ mchid: MCHID, ...options }), (error: unknown) => {
      assert.ok(error instanceof OptionError);
      assert.match(error.message, pattern);
      assert.doesNotMatch(error.message, new RegExp(SECRET));
      assert.doesNotMatch(error.message, /PRIVATE KEY|BEGIN/);
      return true;
    });
  }

  it('names the APIv2 option at fault', () => {
    refused({ secret: 'short' }, /^secret: expected the 32-character APIv2 key$/);
    refused({ merchant: { cert: pki.merchantCert, key: pki.merchantKey } }, /^merchant: .*give secret too/);
    refused({ secret: SECRET, merchant: { cert: pki.merchantCert, key: pki.strangerKey } }, /^merchant: not a usable certificate and key/);
    refused({ secret: SECRET, merchant: { pfx: pki.merchantPfx, passphrase: 'wrong' } }, /^merchant: not a usable certificate and key \(wrong passphrase/);
    refused({ secret: SECRET, merchant: { cert: '', key: pki.merchantKey } }, /^merchant\.cert: /);
    refused({}, /^options: give the APIv3 options .* the APIv2 secret, or both$/);
  });

  it('lets a v2-only client refuse v3 calls, and a v3-only client refuse v2 calls, without sending', async () => {
    const v2only = new Wechatpay({ mchid: MCHID, secret: SECRET });
    await assert.rejects((v2only.v3.pay.transactions.native as ChainNode).post({ json: {} }), (error: unknown) => error instanceof OptionError && /no APIv3 options/.test(error.message));
    const sandbox = await Sandbox.start();
    try {
      const { secret, merchant, ...v3options } = sandbox.clientOptions;
      void [secret, merchant];
      const v3only = new Wechatpay(v3options);
      await assert.rejects((v3only.v2.pay.micropay as ChainNode).post({ xml: {} }), (error: unknown) => error instanceof OptionError && /no APIv2 options/.test(error.message));
      await assert.rejects(v3only.v3.pay.micropay.post({ xml: {} }), (error: unknown) => error instanceof OptionError && /APIv2 option; APIv2 paths start with v2\//.test(error.message));
    } finally {
      await sandbox.close();
    }
  });
});
