import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiError, Wechatpay } from '../../lib';
import { Sandbox } from '../../lib/sandbox';

describe('toApiError', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await Sandbox.start({ mchid: '1900000902' });
    sandbox.route({ method: 'GET', path: '/v3/ping', handle: () => ({ json: { pong: true } }) });
  });
  after(() => sandbox.close());

  it('explains a 401 SIGN_ERROR: what the client ruled out, what remains possible, and what to run', async () => {
    const wxpay = new Wechatpay({ ...sandbox.clientOptions, serial: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01' });
    const error = await wxpay.chain('v3/ping').get().catch((e: unknown) => e);
    assert.ok(error instanceof ApiError && error.apiCode === 'SIGN_ERROR', String(error));
    assert.match(error.message, /HTTP 401 SIGN_ERROR.*Ruled out here: an unreadable private key, a serial that is not hex.*Possible: the private key is not the one of the merchant certificate.*wechatpay doctor/s);
  });

  it('leaves other errors as the gateway worded them', async () => {
    sandbox.inject({ type: 'error', status: 400, code: 'PARAM_ERROR', message: '参数错误' });
    const error = await new Wechatpay(sandbox.clientOptions).chain('v3/ping').get().catch((e: unknown) => e);
    assert.ok(error instanceof ApiError);
    assert.match(error.message, /^WeChat Pay answered HTTP 400 PARAM_ERROR: 参数错误 \(Request-ID [^)]+\)$/);
  });
});
