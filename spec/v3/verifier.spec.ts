import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import axios from 'axios';
import { ApiError, ErrorCode, NetworkError, VerificationError, WechatpayError, Wechatpay, type ChainNode } from '../../lib';
import type { Fault, Sandbox } from '../../lib/sandbox';
import { issueCertificate } from '../../lib/sandbox/pki';
import { startSandbox } from '../support/sandbox';

describe('the APIv3 response verifier', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  before(async () => {
    ({ sandbox, wxpay } = await startSandbox());
    sandbox.route({ method: 'GET', path: '/v3/billdownload/file', handle: () => ({ body: 'trade bill,1\n', headers: { 'Content-Type': 'text/plain' } }) });
    sandbox.route({ method: 'GET', path: '/v3/raw', handle: () => ({ body: ' { "a" : "中文" , "n": 1.50 }\n' }) });
    sandbox.route({ method: 'GET', path: '/v3/timestamp/{value}', handle: ({ params }) => ({ json: {}, headers: { 'Wechatpay-Timestamp': params.value } }) });
  });
  after(() => sandbox.close());

  /** Injects `fault` into the next answer and returns what the call rejected with. */
  async function rejection(fault: Fault, call = () => wxpay.v3.echo.get()): Promise<WechatpayError> {
    sandbox.inject(fault);
    const outcome = await call().then(
      (response) => assert.fail(`a faulty answer reached the caller as data: ${JSON.stringify(response.data)}`),
      (error: unknown) => error,
    );
    assert.ok(outcome instanceof WechatpayError, `expected a WechatpayError, got ${String(outcome)}`);
    return outcome;
  }

  it('hands back the parsed body of a verified answer', async () => {
    const { data, status } = await wxpay.v3.creditRepayment.partner.contracts._out_contract_code_.get({ out_contract_code: 'V1' });
    assert.equal(status, 200);
    assert.equal((data as { out_contract_code: string }).out_contract_code, 'V1');
  });

  it('verifies over the raw bytes received, not re-serialized JSON', async () => {
    const { data } = await wxpay.v3.raw.get();
    assert.deepEqual(data, { a: '中文', n: 1.5 });
  });

  it('gives the verified bytes as text or a Buffer when asked for that responseType', async () => {
    assert.equal((await wxpay.v3.raw.get({ responseType: 'text' })).data, ' { "a" : "中文" , "n": 1.50 }\n');
    const bytes = (await wxpay.v3.raw.get({ responseType: 'arraybuffer' })).data as Buffer;
    assert.equal(bytes.toString('utf8'), ' { "a" : "中文" , "n": 1.50 }\n');
  });

  it('rejects a body changed after signing', async () => {
    const error = await rejection({ type: 'tampered-body' });
    assert.ok(error instanceof VerificationError);
    assert.equal(error.code, ErrorCode.BAD_SIGNATURE);
    assert.match(error.message, /Wechatpay-Signature/);
  });

  it('rejects a response whose timestamp is 301 s old', async () => {
    const error = await rejection({ type: 'stale-timestamp', seconds: 301 });
    assert.equal(error.code, ErrorCode.CLOCK_SKEW);
    assert.match(error.message, /Wechatpay-Timestamp/);
  });

  it('rejects a response whose timestamp is 301 s ahead', async () => {
    assert.equal((await rejection({ type: 'stale-timestamp', seconds: -301 })).code, ErrorCode.CLOCK_SKEW);
  });

  it('accepts a response whose timestamp is 299 s old', async () => {
    sandbox.inject({ type: 'stale-timestamp', seconds: 299 });
    assert.equal((await wxpay.v3.echo.get()).status, 200);
  });

  it('rejects a timestamp that is not a Unix time', async () => {
    for (const value of ['abc', '1e9', '-5', '99999999999999']) {
      await assert.rejects(wxpay.v3.timestamp._value_.get({ value }), (error: unknown) => error instanceof VerificationError && error.code === ErrorCode.CLOCK_SKEW);
    }
  });

  it('rejects an answer signed by a key not in certs', async () => {
    const error = await rejection({ type: 'unknown-serial' });
    assert.equal(error.code, ErrorCode.UNKNOWN_SERIAL);
    assert.match(error.message, /Wechatpay-Serial [0-9A-F]+ names no key/);
  });

  it('rejects an answer without its signature headers, naming them', async () => {
    const all = await rejection({ type: 'missing-headers' });
    assert.equal(all.code, ErrorCode.INCOMPLETE_HEADERS);
    assert.match(all.message, /wechatpay-timestamp, wechatpay-nonce, wechatpay-signature, wechatpay-serial/);
    for (const header of ['Wechatpay-Timestamp', 'Wechatpay-Nonce', 'Wechatpay-Signature', 'Wechatpay-Serial']) {
      const one = await rejection({ type: 'missing-headers', headers: [header] });
      assert.equal(one.code, ErrorCode.INCOMPLETE_HEADERS);
      assert.match(one.message, new RegExp(`header ${header.toLowerCase()} is missing;`));
    }
  });

  it('fails the WECHATPAY/SIGNTEST/ probe with its own code', async () => {
    const error = await rejection({ type: 'signature-probe' });
    assert.equal(error.code, ErrorCode.SIGNATURE_PROBE);
    assert.match(error.message, /WECHATPAY\/SIGNTEST\//);
  });

  it('reports a verified body that is not JSON as malformed', async () => {
    const error = await rejection({ type: 'malformed-json' });
    assert.equal(error.code, ErrorCode.MALFORMED_BODY);
  });

  it('keeps the AxiosError shape on its errors', async () => {
    const error = await rejection({ type: 'tampered-body' });
    assert.ok(axios.isAxiosError(error));
    assert.ok(error instanceof Error);
    assert.equal(error.response?.status, 200);
    assert.equal(error.config?.method, 'get');
    assert.ok(error instanceof VerificationError);
    assert.equal(error.name, 'BadSignatureError', 'named by its one class, in the VerificationError group');
  });

  for (const status of [400, 403, 404, 429, 500, 503]) {
    it(`turns an HTTP ${status} into an ApiError with the gateway's code, message, detail and Request-ID`, async () => {
      const error = await rejection({ type: 'error', status, code: 'PARAM_ERROR', message: '参数错误', detail: { field: 'out_trade_no' } });
      assert.ok(error instanceof ApiError);
      assert.equal(error.code, ErrorCode.API_ERROR);
      assert.equal(error.status, status);
      assert.equal(error.apiCode, 'PARAM_ERROR');
      assert.equal(error.apiMessage, '参数错误');
      assert.deepEqual(error.detail, { field: 'out_trade_no' });
      assert.match(error.requestId ?? '', /^[0-9a-f-]{36}$/);
      assert.match(error.message, new RegExp(`HTTP ${status} PARAM_ERROR: 参数错误 \\(Request-ID ${error.requestId}\\)`));
      assert.deepEqual((error.response?.data as { code: string }).code, 'PARAM_ERROR');
    });
  }

  it('turns the gateway refusing our signature into an ApiError with SIGN_ERROR', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const impostor = new Wechatpay({ ...sandbox.clientOptions, privateKey });
    await assert.rejects(impostor.v3.echo.get(), (error: unknown) => error instanceof ApiError && error.status === 401 && error.apiCode === 'SIGN_ERROR');
  });

  it('turns a reset connection into a NetworkError saying the request may have been processed, without data', async () => {
    sandbox.inject({ type: 'connection-reset' });
    await assert.rejects(
      wxpay.v3.echo.get(),
      (error: unknown) =>
        error instanceof NetworkError && error.mayHaveBeenProcessed && axios.isAxiosError(error.cause) && error.cause.code === 'ECONNRESET' && error.response === undefined && /ECONNRESET.*may have reached the gateway/.test(error.message),
    );
  });

  it('gives up on a slow answer at the timeout', async () => {
    sandbox.inject({ type: 'slow', ms: 400 });
    await assert.rejects(wxpay.v3.echo.get({ timeout: 50 }), (error: unknown) => error instanceof WechatpayError && error.code === ErrorCode.TIMEOUT);
  });

  it('passes an unsigned download through unverified, as the gateway does not sign it', async () => {
    sandbox.inject({ type: 'missing-headers' });
    const { data } = await (wxpay.v3.billdownload.file as ChainNode).get({ responseType: 'text' });
    assert.equal(data, 'trade bill,1\n');
  });

  it('refuses an answer signed under a platform certificate outside its validity, expired or not yet valid', async () => {
    const [platform] = sandbox.platformKeys;
    const YEAR = 365 * 24 * 3600 * 1000;
    for (const [notBefore, notAfter, pattern] of [
      [new Date('2020-01-01T00:00:00Z'), new Date('2021-01-01T00:00:00Z'), /expired on 2021-01-01/],
      [new Date(Date.now() + YEAR), new Date(Date.now() + 2 * YEAR), /not valid before/],
    ] as const) {
      // The same serial and public key as the sandbox signs with, under another validity period.
      const certificate = issueCertificate({
        serial: platform.id,
        subject: '/C=CN/O=Tenpay.com/CN=Tenpay.com sign',
        issuer: '/C=CN/O=Tenpay.com/CN=Tenpay.com Root CA',
        notBefore,
        notAfter,
        publicKey: platform.publicKey,
        issuerKey: platform.privateKey,
        issuerPublicKey: platform.publicKey,
      });
      const client = new Wechatpay({ ...sandbox.clientOptions, certs: { [platform.id]: certificate } });
      await assert.rejects(client.v3.creditRepayment.partner.contracts._out_contract_code_.get({ out_contract_code: 'VALIDITY' }), (error: unknown) => {
        assert.ok(error instanceof VerificationError);
        assert.equal(error.code, ErrorCode.CERTIFICATE_EXPIRED);
        assert.match(error.message, pattern);
        return true;
      });
    }
  });
});
