import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import axios from 'axios';
import { ErrorCode, OptionError, Wechatpay, WechatpayError } from '../lib';
import { DEFAULT_TIMEOUT_MS } from '../lib/deadline';
import type { Sandbox } from '../lib/sandbox';
import { startSandbox } from './support/sandbox';

const isTimeout = (ms: number) => (error: unknown) => error instanceof WechatpayError && error.code === ErrorCode.TIMEOUT && error.message.includes(`${ms} ms`);

describe('the deadline of a call', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  before(async () => ({ sandbox, wxpay } = await startSandbox()));
  after(() => sandbox.close());

  it('bounds the whole exchange: a body dripping a byte every 300 ms does not outlive timeout 1000', { timeout: 5000 }, async () => {
    sandbox.inject({ type: 'drip', ms: 300 });
    const started = Date.now();
    await assert.rejects(wxpay.v3.echo.get({ timeout: 1000 }), isTimeout(1000));
    const took = Date.now() - started;
    assert.ok(took >= 1000 && took < 2000, `ended after ${took} ms`);
  });

  it('ends a call to a gateway that never answers', { timeout: 5000 }, async () => {
    sandbox.inject({ type: 'stall' });
    await assert.rejects(wxpay.v3.echo.post({ json: {}, timeout: 300 }), isTimeout(300));
  });

  it(`has one by default: ${DEFAULT_TIMEOUT_MS} ms`, { timeout: 5000 }, async () => {
    assert.equal(DEFAULT_TIMEOUT_MS, 30_000);
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      sandbox.inject({ type: 'stall' });
      const before = sandbox.requests.length;
      const call = wxpay.v3.echo.get();
      const outcome = call.then(
        () => 'answered',
        (error: unknown) => error,
      );
      while (sandbox.requests.length === before) await new Promise((resolve) => setImmediate(resolve));
      mock.timers.tick(DEFAULT_TIMEOUT_MS - 1);
      await new Promise((resolve) => setImmediate(resolve));
      mock.timers.tick(1);
      assert.ok(isTimeout(DEFAULT_TIMEOUT_MS)(await outcome));
    } finally {
      mock.timers.reset();
    }
  });

  it('takes the client-wide timeout as every call’s default', { timeout: 5000 }, async () => {
    const quick = new Wechatpay({ ...sandbox.clientOptions, timeout: 200 });
    sandbox.inject({ type: 'stall' });
    await assert.rejects(quick.v3.echo.get(), isTimeout(200));
    const echoed = await quick.v3.echo.get({ timeout: 0 });
    assert.equal(echoed.status, 200, 'timeout 0 is no deadline, as in axios');
  });

  it('ends at the caller’s signal as axios does (a cancel, not a timeout)', { timeout: 5000 }, async () => {
    sandbox.inject({ type: 'stall' });
    const controller = new AbortController();
    const call = wxpay.v3.echo.get({ signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(call, (error: unknown) => axios.isCancel(error));
  });

  it('honours an axios cancelToken the same way', { timeout: 5000 }, async () => {
    sandbox.inject({ type: 'stall' });
    const source = axios.CancelToken.source();
    const call = wxpay.v3.echo.get({ cancelToken: source.token });
    setTimeout(() => source.cancel(), 50);
    await assert.rejects(call, (error: unknown) => axios.isCancel(error));
  });

  it('bounds a call through axios’ fetch adapter too, whose answers are web streams', { timeout: 5000 }, async () => {
    const { data } = await wxpay.v3.echo.get({ adapter: 'fetch', query: { via: 'fetch' } });
    assert.equal((data as { target: string }).target, '/v3/echo?via=fetch', 'a verified answer read from a web stream');
    sandbox.inject({ type: 'drip', ms: 200 });
    await assert.rejects(wxpay.v3.echo.get({ adapter: 'fetch', timeout: 500 }), isTimeout(500));
  });

  it('refuses a timeout or signal of the wrong kind, naming the option, before anything is sent', async () => {
    const before = sandbox.requests.length;
    for (const timeout of [-1, Number.NaN, Infinity, '5s', 2 ** 31, 1e12] as unknown as number[]) {
      await assert.rejects(wxpay.v3.echo.get({ timeout }), (error: unknown) => error instanceof OptionError && error.code === ErrorCode.INVALID_OPTION && /"timeout" must be a number of milliseconds from 0 to 2147483647/.test(error.message), String(timeout));
    }
    assert.throws(() => new Wechatpay({ ...sandbox.clientOptions, timeout: 2 ** 31 }), (error: unknown) => error instanceof OptionError && /^new Wechatpay\(\): option "timeout"/.test(error.message), 'a timer holds 2147483647 ms at most: a longer timeout would fire at once');
    await assert.rejects(wxpay.v3.echo.get({ signal: {} as AbortSignal }), (error: unknown) => error instanceof OptionError && /"signal"/.test(error.message));
    assert.equal(sandbox.requests.length, before);
  });

  it('bounds APIv2 calls the same way', { timeout: 5000 }, async () => {
    sandbox.inject({ type: 'drip', ms: 200 });
    await assert.rejects(wxpay.v2.pay.micropay.post({ xml: { appid: 'wxd678efh567hg6787', mch_id: sandbox.mchid, body: 'x', out_trade_no: 'D1', total_fee: 1, spbill_create_ip: '127.0.0.1', auth_code: '134567890123456789' }, timeout: 500 }), isTimeout(500));
  });
});
