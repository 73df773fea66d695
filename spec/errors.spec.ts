import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import axios, { AxiosError } from 'axios';
import { ApiError, ErrorCode, OptionError, VerificationError, WechatpayError, type Wechatpay } from '../lib';
import type { Sandbox } from '../lib/sandbox';
import { startSandbox } from './support/sandbox';

describe('errors', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  before(async () => ({ sandbox, wxpay } = await startSandbox()));
  after(() => sandbox.close());

  it('have stable, distinct, upper-snake codes', () => {
    const codes = Object.values(ErrorCode);
    assert.equal(new Set(codes).size, codes.length);
    for (const code of codes) assert.match(code, /^ERR_WECHATPAY_[A-Z_]+$/);
  });

  it('all extend WechatpayError, which extends AxiosError', () => {
    for (const Kind of [OptionError, VerificationError]) {
      const error = new Kind('m', ErrorCode.INVALID_OPTION);
      assert.ok(error instanceof WechatpayError && error instanceof AxiosError && error instanceof Error);
      assert.ok(axios.isAxiosError(error));
      assert.equal(error.name, Kind.name);
    }
    assert.ok(ApiError.prototype instanceof WechatpayError);
  });

  it('never carry key material, whatever way they are printed', async () => {
    const secrets = [sandbox.merchant.privateKeyPem, ...sandbox.platformKeys.map((key) => key.privateKeyPem)];
    const bodies = secrets.flatMap((pem) => pem.split('\n').filter((line) => line.length === 64));
    const errors: unknown[] = [];
    for (const fault of [{ type: 'tampered-body' }, { type: 'error', status: 400 }, { type: 'unknown-serial' }] as const) {
      sandbox.inject(fault);
      errors.push(await wxpay.v3.echo.post({ json: { a: 1 } }).catch((error: unknown) => error));
    }
    errors.push(await wxpay.v3.echo._id_.get().catch((error: unknown) => error));
    for (const error of errors) {
      assert.ok(error instanceof WechatpayError);
      const shown = [inspect(error, { depth: 6, showHidden: true }), JSON.stringify(error), String(error.stack), Object.keys(error).join()].join('\n');
      assert.doesNotMatch(shown, /PRIVATE KEY/);
      for (const line of bodies) assert.equal(shown.includes(line), false);
    }
  });
});
