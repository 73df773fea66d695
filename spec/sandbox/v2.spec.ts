import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, createHmac, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { Wechatpay } from '../../lib';
import { Sandbox } from '../../lib/sandbox';
import { createKeyPair, issueCertificate } from '../../lib/sandbox/pki';
import { CATALOGUE } from '../../tools/generate/catalogue';

// Everything APIv2 is built by hand here (XML, MD5 / HMAC-SHA256 signs, node:https requests), so
// the sandbox is checked against the protocol rather than against the SDK's own signer.

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What a client presents over TLS: a PEM pair, a PFX, or nothing. */
type ClientCredential = { cert: string; key: string } | { pfx: Buffer; passphrase: string } | Record<string, never>;

type SignType = 'MD5' | 'HMAC-SHA256';

/** The APIv2 sign, written from the protocol text: sorted `k=v` pairs without empty values or `sign`, then `&key=`. */
function signOf(fields: Record<string, string>, secret: string, type: SignType): string {
  const pairs = Object.keys(fields)
    .filter((key) => key !== 'sign' && fields[key] !== '')
    .sort()
    .map((key) => `${key}=${fields[key]}`);
  const message = `${pairs.join('&')}&key=${secret}`;
  const digest = type === 'MD5' ? createHash('md5').update(message, 'utf8') : createHmac('sha256', secret).update(message, 'utf8');
  return digest.digest('hex').toUpperCase();
}

function toXml(fields: Record<string, string>): string {
  return `<xml>${Object.entries(fields)
    .map(([key, value]) => `<${key}><![CDATA[${value}]]></${key}>`)
    .join('')}</xml>`;
}

/** Flat APIv2 XML to fields, CDATA or not: enough for the gateway's answers. */
function fromXml(xml: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of xml.matchAll(/<(\w+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g)) fields[match[1]] = match[2] ?? match[3];
  return fields;
}

/** Fields signed with the sandbox's APIv2 key (or `secret`), `sign_type` included when not MD5. */
function signed(sandbox: Sandbox, fields: Record<string, string>, type: SignType = 'MD5', secret = sandbox.apiv2Secret): Record<string, string> {
  const all = { mch_id: sandbox.mchid, nonce_str: createHash('md5').update(String(Math.random())).digest('hex'), ...fields, ...(type === 'MD5' ? {} : { sign_type: type }) };
  return { ...all, sign: signOf(all, secret, type) };
}

/** POSTs `body` over a fresh connection (no pooled TLS session), trusting the sandbox CA. */
function post(sandbox: Sandbox, path: string, body: string, credential: ClientCredential = {}): Promise<Answer> {
  const url = `${sandbox.baseURL.replace(/\/$/, '')}${path}`;
  return new Promise((resolve, reject) => {
    const onAnswer = (incoming: IncomingMessage) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks) }));
      incoming.on('error', reject);
    };
    const headers = { 'Content-Type': 'text/xml; charset=utf-8' };
    const outgoing = sandbox.tls ? httpsRequest(url, { method: 'POST', headers, agent: false, ca: sandbox.caCertificatePem, ...credential }, onAnswer) : httpRequest(url, { method: 'POST', headers }, onAnswer);
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Whether an answer's own `sign` verifies under `type`, recomputed here. */
function verifies(fields: Record<string, string>, secret: string, type: SignType): boolean {
  return typeof fields.sign === 'string' && fields.sign === signOf(fields, secret, type);
}

/** The `required` names of the catalogue's answer schema for an APIv2 endpoint, all `allOf` parts together. */
function catalogueRequired(file: string, pick: (spec: Record<string, unknown>) => unknown): string[] {
  const spec = parse(readFileSync(join(CATALOGUE, file), 'utf8')) as Record<string, unknown>;
  const schema = pick(spec) as { required?: string[]; allOf?: Array<{ required?: string[] }> };
  return [...(schema.required ?? []), ...(schema.allOf ?? []).flatMap((part) => part.required ?? [])];
}

const MICROPAY = { appid: 'wx8888888888888888', body: 'image形象店-深圳腾大- QQ公仔', out_trade_no: '1217752501201407033233368018', total_fee: '888', spbill_create_ip: '8.8.8.8', auth_code: '120061098828009406' };
const REFUND = { appid: 'wx8888888888888888', out_trade_no: '1217752501201407033233368018', out_refund_no: 'R-1', total_fee: '888', refund_fee: '100' };

/** A client certificate from a CA the sandbox has never heard of. */
async function foreignCredential(): Promise<{ cert: string; key: string }> {
  const [ca, leaf] = await Promise.all([createKeyPair(), createKeyPair()]);
  const notBefore = new Date(Date.now() - 3600_000);
  const cert = issueCertificate({ serial: '7A01', subject: '/CN=1900000001', issuer: '/CN=Elsewhere CA', notBefore, notAfter: new Date(notBefore.getTime() + 86_400_000), publicKey: leaf.publicKey, issuerKey: ca.privateKey, issuerPublicKey: ca.publicKey, profile: { kind: 'client' } });
  return { cert, key: leaf.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

describe('the sandbox APIv2 gateway over mutual TLS', () => {
  let sandbox: Sandbox;
  before(async () => (sandbox = await Sandbox.start({ tls: true })));
  after(() => sandbox.close());

  it('serves HTTPS on 127.0.0.1 with a certificate the sandbox CA issued for that address', () => {
    assert.match(sandbox.baseURL, /^https:\/\/127\.0\.0\.1:\d+\/$/);
    const ca = new X509Certificate(sandbox.caCertificatePem);
    assert.equal(ca.ca, true);
    assert.ok(ca.checkIssued(ca) && ca.verify(ca.publicKey), 'the CA is self-signed');
    const text = execFileSync('openssl', ['x509', '-noout', '-text'], { input: sandbox.caCertificatePem, encoding: 'utf8' });
    assert.match(text, /Basic Constraints: critical\s+CA:TRUE/);
    assert.match(text, /Key Usage: critical\s+Certificate Sign, CRL Sign/);
    const merchant = new X509Certificate(sandbox.merchantTls.cert);
    assert.ok(merchant.verify(ca.publicKey));
    assert.equal(merchant.serialNumber.toUpperCase(), sandbox.merchant.id, 'the APIv2 certificate is the merchant API certificate');
    assert.ok(merchant.checkPrivateKey(sandbox.merchant.privateKey));
  });

  it('answers micropay signed with MD5, with the catalogue fields, without asking for a client certificate', async () => {
    const request = signed(sandbox, MICROPAY);
    const answer = await post(sandbox, '/pay/micropay', toXml(request));
    assert.equal(answer.status, 200);
    const fields = fromXml(answer.body.toString('utf8'));
    assert.equal(fields.sign.length, 32);
    assert.ok(verifies(fields, sandbox.apiv2Secret, 'MD5'), 'the answer sign verifies with MD5');
    assert.deepEqual([fields.return_code, fields.result_code, fields.trade_type, fields.total_fee, fields.out_trade_no, fields.mch_id, fields.appid], ['SUCCESS', 'SUCCESS', 'MICROPAY', '888', MICROPAY.out_trade_no, sandbox.mchid, MICROPAY.appid]);
    assert.notEqual(fields.nonce_str, request.nonce_str);
    assert.match(fields.transaction_id, /^\d{28}$/);
    assert.match(fields.time_end, /^\d{14}$/);
    const required = catalogueRequired('v2/pay/micropay.yaml', (spec) => (spec.post as { responses: { 200: { schema: unknown } } }).responses[200].schema);
    for (const name of required) assert.ok(name in fields, `micropay answer has ${name}`);
  });

  it('answers micropay signed with HMAC-SHA256 when the request says sign_type=HMAC-SHA256', async () => {
    const answer = await post(sandbox, '/pay/micropay', toXml(signed(sandbox, { ...MICROPAY, out_trade_no: 'HMAC-1' }, 'HMAC-SHA256')));
    const fields = fromXml(answer.body.toString('utf8'));
    assert.equal(fields.result_code, 'SUCCESS');
    assert.equal(fields.sign.length, 64);
    assert.ok(verifies(fields, sandbox.apiv2Secret, 'HMAC-SHA256'));
    assert.equal(verifies(fields, sandbox.apiv2Secret, 'MD5'), false);
  });

  it('lets the auth_code provoke USERPAYING and AUTHCODEEXPIRE, still signed', async () => {
    for (const [code, expected] of [['134567890123450000', 'USERPAYING'], ['134567890123459999', 'AUTHCODEEXPIRE']]) {
      const fields = fromXml((await post(sandbox, '/pay/micropay', toXml(signed(sandbox, { ...MICROPAY, auth_code: code })))).body.toString('utf8'));
      assert.deepEqual([fields.return_code, fields.result_code, fields.err_code], ['SUCCESS', 'FAIL', expected]);
      assert.ok(verifies(fields, sandbox.apiv2Secret, 'MD5'));
      assert.equal(fields.transaction_id, undefined);
    }
  });

  it('answers an unsigned FAIL 签名错误 to a wrong sign, a sign under another key, and a sign of the wrong type', async () => {
    const wrong = { ...signed(sandbox, MICROPAY), sign: '0'.repeat(32) };
    const otherKey = signed(sandbox, MICROPAY, 'MD5', 'x'.repeat(32));
    const md5SignedAsHmac = (() => {
      const fields = { ...signed(sandbox, MICROPAY), sign_type: 'HMAC-SHA256' };
      return { ...fields, sign: signOf(fields, sandbox.apiv2Secret, 'MD5') };
    })();
    for (const request of [wrong, otherKey, md5SignedAsHmac]) {
      const answer = await post(sandbox, '/pay/micropay', toXml(request));
      assert.equal(answer.status, 200);
      assert.deepEqual(fromXml(answer.body.toString('utf8')), { return_code: 'FAIL', return_msg: '签名错误' });
    }
    const received = sandbox.requests[sandbox.requests.length - 1];
    assert.deepEqual([received.api, received.authorized, received.target], ['v2', false, '/pay/micropay']);
  });

  it('answers FAIL to a mch_id it does not know, before looking at the sign', async () => {
    const fields = fromXml((await post(sandbox, '/pay/micropay', toXml({ ...signed(sandbox, MICROPAY), mch_id: '1230000109' }))).body.toString('utf8'));
    assert.equal(fields.return_code, 'FAIL');
    assert.match(fields.return_msg, /mch_id/);
    assert.equal(fields.sign, undefined);
  });

  it('refunds over mutual TLS with the merchant certificate, as PEM and as PKCS#12', async () => {
    const required = catalogueRequired('definitions/refund.yaml', (spec) => spec['refund.response']);
    for (const [index, credential] of [sandbox.merchantTls, sandbox.merchantPfx].entries()) {
      const answer = await post(sandbox, '/secapi/pay/refund', toXml(signed(sandbox, { ...REFUND, out_refund_no: `R-${index}` }, 'HMAC-SHA256')), credential);
      assert.equal(answer.status, 200);
      const fields = fromXml(answer.body.toString('utf8'));
      assert.ok(verifies(fields, sandbox.apiv2Secret, 'HMAC-SHA256'));
      assert.deepEqual([fields.return_code, fields.result_code, fields.out_refund_no, fields.refund_fee, fields.total_fee], ['SUCCESS', 'SUCCESS', `R-${index}`, '100', '888']);
      assert.match(fields.refund_id, /^\d{28}$/);
      for (const name of required) assert.ok(name in fields, `refund answer has ${name}`);
    }
  });

  it('refuses a refund without a client certificate with nginx\'s 400 page, as the gateway does', async () => {
    const answer = await post(sandbox, '/secapi/pay/refund', toXml(signed(sandbox, REFUND)));
    assert.equal(answer.status, 400);
    assert.match(String(answer.headers['content-type']), /^text\/html/);
    assert.match(answer.body.toString('utf8'), /<title>400 No required SSL certificate was sent<\/title>/);
  });

  it('refuses a refund with a certificate from another CA with the SSL certificate error page', async () => {
    const answer = await post(sandbox, '/secapi/pay/refund', toXml(signed(sandbox, REFUND)), await foreignCredential());
    assert.equal(answer.status, 400);
    assert.match(answer.body.toString('utf8'), /<title>400 The SSL certificate error<\/title>/);
  });

  it('refuses a refund with a certificate of its own CA that is not the merchant\'s with FAIL 证书错误', async () => {
    const platform = sandbox.platformKeys[0];
    const answer = await post(sandbox, '/secapi/pay/refund', toXml(signed(sandbox, REFUND)), { cert: platform.certificatePem ?? '', key: platform.privateKeyPem });
    assert.equal(answer.status, 200);
    assert.deepEqual(fromXml(answer.body.toString('utf8')), { return_code: 'FAIL', return_msg: '证书错误' });
  });

  it('serves the trade bill as CSV, gzipped on tar_type=GZIP, unsigned', async () => {
    const plain = await post(sandbox, '/pay/downloadbill', toXml(signed(sandbox, { appid: MICROPAY.appid, bill_date: '20260101', bill_type: 'ALL' })));
    assert.equal(plain.status, 200);
    assert.match(String(plain.headers['content-type']), /^text\/plain/);
    const csv = plain.body.toString('utf8');
    const lines = csv.trimEnd().split('\r\n');
    assert.match(lines[0], /^交易时间,公众账号ID,商户号,/);
    assert.equal(lines.length, 5, 'header, a payment, a refund, the summary header, the summary');
    assert.ok(lines[1].startsWith('`2026-01-01 '));
    assert.equal(lines[1].split(',').length, lines[0].split(',').length);
    assert.match(lines[3], /^总交易单数,/);

    const zipped = await post(sandbox, '/pay/downloadbill', toXml(signed(sandbox, { appid: MICROPAY.appid, bill_date: '20260101', tar_type: 'GZIP' })));
    assert.equal(zipped.status, 200);
    assert.deepEqual([...zipped.body.subarray(0, 2)], [0x1f, 0x8b]);
    assert.equal(gunzipSync(zipped.body).toString('utf8'), csv);
  });

  it('answers an unsigned FAIL No Bill Exist for 20000101', async () => {
    const answer = await post(sandbox, '/pay/downloadbill', toXml(signed(sandbox, { appid: MICROPAY.appid, bill_date: '20000101' })));
    assert.deepEqual(fromXml(answer.body.toString('utf8')), { return_code: 'FAIL', return_msg: 'No Bill Exist', error_code: '20002' });
  });

  it('still answers APIv3 calls of the client, which present no certificate, on the same port', async () => {
    const wxpay = new Wechatpay({ ...sandbox.clientOptions, httpsAgent: new Agent({ ca: sandbox.caCertificatePem }) });
    const { data } = (await wxpay.v3.creditRepayment.partner.contracts._out_contract_code_.get({ out_contract_code: 'TLS-1' })) as { data: { out_contract_code: string } };
    assert.equal(data.out_contract_code, 'TLS-1');
    const received = sandbox.requests[sandbox.requests.length - 1];
    assert.deepEqual([received.api, received.authorized], ['v3', true]);
  });

  it('hands out client options for both APIs: the APIv2 key, the merchant certificate and an agent trusting its CA', () => {
    const options = sandbox.clientOptions;
    assert.equal(options.secret, sandbox.apiv2Secret);
    assert.match(options.secret, /^[0-9A-Za-z]{32}$/);
    assert.deepEqual(options.merchant, sandbox.merchantTls);
    assert.ok(options.httpsAgent instanceof Agent);
    assert.equal(sandbox.clientOptions.httpsAgent, options.httpsAgent, 'one agent per sandbox');
    assert.equal(options.baseURL, sandbox.baseURL);
  });

  it('builds a PKCS#12 the openssl CLI opens with the merchant id as passphrase', () => {
    const { pfx, passphrase } = sandbox.merchantPfx;
    assert.equal(passphrase, sandbox.mchid);
    const dir = mkdtempSync(join(tmpdir(), 'wechatpay-p12-'));
    try {
      writeFileSync(join(dir, 'merchant.p12'), pfx);
      const pem = execFileSync('openssl', ['pkcs12', '-in', join(dir, 'merchant.p12'), '-passin', `pass:${passphrase}`, '-nodes'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const certificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0] ?? '';
      assert.equal(new X509Certificate(certificate).fingerprint256, new X509Certificate(sandbox.merchantTls.cert).fingerprint256);
      assert.match(pem, /-----BEGIN PRIVATE KEY-----/);
      assert.throws(() => execFileSync('openssl', ['pkcs12', '-in', join(dir, 'merchant.p12'), '-passin', 'pass:wrong', '-nodes'], { stdio: 'pipe' }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the sandbox APIv2 gateway over plain HTTP', () => {
  let sandbox: Sandbox;
  before(async () => (sandbox = await Sandbox.start()));
  after(() => sandbox.close());

  it('answers micropay, and hands out no agent', async () => {
    const fields = fromXml((await post(sandbox, '/pay/micropay', toXml(signed(sandbox, MICROPAY)))).body.toString('utf8'));
    assert.equal(fields.result_code, 'SUCCESS');
    assert.equal(sandbox.clientOptions.httpsAgent, undefined);
  });

  it('refuses the mutual-TLS routes, there being no TLS', async () => {
    const answer = await post(sandbox, '/secapi/pay/refund', toXml(signed(sandbox, REFUND)));
    assert.equal(answer.status, 400);
  });

  it('spoils signed answers as the injected faults say', async () => {
    sandbox.inject({ type: 'tampered-body' });
    const tampered = fromXml((await post(sandbox, '/pay/micropay', toXml(signed(sandbox, { ...MICROPAY, out_trade_no: 'F-1' })))).body.toString('utf8'));
    assert.equal(tampered.total_fee, '8880');
    assert.equal(verifies(tampered, sandbox.apiv2Secret, 'MD5'), false);

    sandbox.inject({ type: 'v2-bad-sign' });
    const badSign = fromXml((await post(sandbox, '/pay/micropay', toXml(signed(sandbox, { ...MICROPAY, out_trade_no: 'F-2' }, 'HMAC-SHA256')))).body.toString('utf8'));
    assert.equal(badSign.sign.length, 64);
    assert.equal(verifies(badSign, sandbox.apiv2Secret, 'HMAC-SHA256'), false);

    const clean = fromXml((await post(sandbox, '/pay/micropay', toXml(signed(sandbox, { ...MICROPAY, out_trade_no: 'F-3' })))).body.toString('utf8'));
    assert.ok(verifies(clean, sandbox.apiv2Secret, 'MD5'), 'a fault spoils one answer only');
  });

  it('answers raw XML on a v2-xml fault, an HTTP error on an error fault, nothing on a connection reset', async () => {
    const hostile = '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><return_code>&x;</return_code></xml>';
    sandbox.inject({ type: 'v2-xml', xml: hostile });
    const raw = await post(sandbox, '/pay/micropay', toXml(signed(sandbox, MICROPAY)));
    assert.equal(raw.body.toString('utf8'), hostile);

    sandbox.inject({ type: 'error', status: 503, message: 'SYSTEMERROR' });
    const error = await post(sandbox, '/pay/micropay', toXml(signed(sandbox, MICROPAY)));
    assert.equal(error.status, 503);
    assert.deepEqual(fromXml(error.body.toString('utf8')), { return_code: 'FAIL', return_msg: 'SYSTEMERROR' });

    sandbox.inject({ type: 'connection-reset' });
    await assert.rejects(post(sandbox, '/pay/micropay', toXml(signed(sandbox, MICROPAY))), { code: 'ECONNRESET' });
  });

  it('serves routes added with routeV2: fields in, signed fields or raw bytes out', async () => {
    const seen: Array<Record<string, string>> = [];
    sandbox.routeV2({
      path: '/pay/orderquery',
      handle: (fields, peer) => {
        seen.push(fields);
        assert.equal(peer.tls, false);
        return { appid: fields.appid, mch_id: fields.mch_id, result_code: 'SUCCESS', trade_state: 'SUCCESS', out_trade_no: fields.out_trade_no };
      },
    });
    const fields = fromXml((await post(sandbox, '/pay/orderquery', toXml(signed(sandbox, { appid: MICROPAY.appid, out_trade_no: 'Q-1' }, 'HMAC-SHA256')))).body.toString('utf8'));
    assert.deepEqual([fields.trade_state, fields.out_trade_no], ['SUCCESS', 'Q-1']);
    assert.ok(verifies(fields, sandbox.apiv2Secret, 'HMAC-SHA256'));
    assert.equal(seen[0].out_trade_no, 'Q-1');

    sandbox.routeV2({ path: '/risk/getpublickey', handle: () => ({ raw: Buffer.from('<xml><return_code>SUCCESS</return_code></xml>'), contentType: 'text/xml' }) });
    const raw = await post(sandbox, '/risk/getpublickey', toXml(signed(sandbox, {})));
    assert.equal(raw.body.toString('utf8'), '<xml><return_code>SUCCESS</return_code></xml>');

    const unknown = await post(sandbox, '/pay/nowhere', toXml(signed(sandbox, {})));
    assert.equal(unknown.status, 404);
  });
});
