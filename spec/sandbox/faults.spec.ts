// The faults a test puts into the sandbox: one it cannot act out is refused at once, naming what is
// wrong, so that no test passes against a fault that never happened.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import type { Wechatpay } from '../../lib';
import type { Fault, Sandbox } from '../../lib/sandbox';
import { invalidArgumentMatching } from '../support/assertions';
import { startSandbox } from '../support/sandbox';
import { scriptedServer } from '../support/scripted-server';

describe('the faults of the sandbox', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  before(async () => ({ sandbox, wxpay } = await startSandbox()));
  after(() => sandbox.close());


  it('refuses a fault it cannot act out, naming the field at fault, and queues nothing', async () => {
    const refusals: [unknown, RegExp][] = [
      [{ type: 'slw', ms: 5 }, /^sandbox\.inject\(\): fault\.type: 'slw' is no fault; one of 'tampered-body', .*'v2-xml'$/],
      [{ type: 'slow' }, /^sandbox\.inject\(\): fault\.ms: expected a whole number of milliseconds from 0 to 2147483647$/],
      [{ type: 'slow', ms: 2 ** 31 }, /^sandbox\.inject\(\): fault\.ms: /],
      [{ type: 'drip', ms: -1 }, /^sandbox\.inject\(\): fault\.ms: /],
      [{ type: 'error' }, /^sandbox\.inject\(\): fault\.status: expected an HTTP status from 200 to 599$/],
      [{ type: 'error', status: 600 }, /^sandbox\.inject\(\): fault\.status: /],
      [{ type: 'error', status: 500, code: 7 }, /^sandbox\.inject\(\): fault\.code: expected a string$/],
      [{ type: 'stale-timestamp', seconds: 'x' }, /^sandbox\.inject\(\): fault\.seconds: expected a whole number of seconds$/],
      [{ type: 'missing-headers', headers: 'Wechatpay-Nonce' }, /^sandbox\.inject\(\): fault\.headers: expected some of Wechatpay-Timestamp, Wechatpay-Nonce, Wechatpay-Signature and Wechatpay-Serial$/],
      [{ type: 'missing-headers', headers: ['Wechatpay-Noonce'] }, /^sandbox\.inject\(\): fault\.headers: /],
      [{ type: 'v2-xml' }, /^sandbox\.inject\(\): fault\.xml: expected a string$/],
      [{ type: 'slow', millis: 500 }, /^sandbox\.inject\(\): fault\.millis: unknown; a 'slow' fault takes ms$/],
      [{ type: 'stall', ms: 5 }, /^sandbox\.inject\(\): fault\.ms: unknown; a 'stall' fault takes nothing more$/],
      ['tampered-body', /^sandbox\.inject\(\): fault: expected an object with a type$/],
    ];
    for (const [fault, message] of refusals) assert.throws(() => sandbox.inject(fault as Fault), invalidArgumentMatching(message), inspect(fault));
    const { status } = await wxpay.v3.certificates.get();
    assert.equal(status, 200, 'no refused fault was queued');
  });

  it('takes every fault with its fields at their edges', async () => {
    const faults: Fault[] = [
      { type: 'slow', ms: 0 },
      { type: 'drip', ms: 0 },
      { type: 'error', status: 400, code: 'PARAM_ERROR', message: 'bad', detail: { field: 'x' } },
      { type: 'stale-timestamp', seconds: -600 },
      { type: 'missing-headers', headers: [] },
      { type: 'v2-xml', xml: '<xml/>', status: 200 },
    ];
    for (const fault of faults) sandbox.inject(fault);
    await wxpay.v3.certificates.get({ timeout: 2000 }).catch(() => undefined);
    await wxpay.v3.certificates.get({ timeout: 2000 }).catch(() => undefined);
    const error = await wxpay.v3.certificates.get().catch((e: unknown) => e);
    assert.equal((error as { response?: { status?: number } }).response?.status, 400, 'the third fault answered');
    for (let left = 3; left > 0; left -= 1) await wxpay.v3.certificates.get().catch(() => undefined);
  });

  it('refuses a notification fault it cannot act out, with the promise it answers', async () => {
    const merchant = await scriptedServer([204]);
    try {
      const event = { event_type: 'TRANSACTION.SUCCESS', resource_type: 'encrypt-resource', summary: '支付成功', resource: {} };
      await assert.rejects(sandbox.notify(merchant.url, event, { type: 'wrong-api-key' } as unknown as Fault), invalidArgumentMatching(/^sandbox\.notify\(\): fault\.type: 'wrong-api-key' is no fault; one of .*'wrong-apiv3-key'$/));
      assert.equal(merchant.arrivals.length, 0);
    } finally {
      await merchant.close();
    }
  });

  it('refuses a clock skew that is not a whole number of seconds', () => {
    for (const seconds of [Number.NaN, Infinity, 1.5, '60']) {
      assert.throws(() => sandbox.skewClock(seconds as number), invalidArgumentMatching(/^sandbox\.skewClock\(\): seconds: expected a whole number of seconds$/), String(seconds));
    }
  });
});
