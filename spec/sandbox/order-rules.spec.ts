// What an order body must hold, product by product, direct and partner, as the gateway checks it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkOrder } from '../../lib/sandbox/order-rules';
import type { OrderProduct } from '../../lib/sandbox/trade-ledger';

const MCHID = '1900000001';

/** A complete order body of `product`, as a direct merchant or as a service provider places it. */
function body(product: OrderProduct, partner: boolean): Record<string, unknown> {
  const ids = partner ? { sp_appid: 'wxsp', sp_mchid: MCHID, sub_mchid: '1900000109' } : { appid: 'wx1', mchid: MCHID };
  const payer = product !== 'jsapi' ? {} : { payer: partner ? { sp_openid: 'o-sp' } : { openid: 'o-1' } };
  const scene = product !== 'h5' ? {} : { scene_info: { payer_client_ip: '14.23.150.211', h5_info: { type: 'Wap' } } };
  return { ...ids, description: 'tea', out_trade_no: 'T-RULES-1', notify_url: 'https://merchant.example/notify', amount: { total: 100, currency: 'CNY' }, ...payer, ...scene };
}

/** The body without the field at a dotted path. */
function without(source: Record<string, unknown>, path: string): Record<string, unknown> {
  const copy = structuredClone(source);
  const steps = path.split('.');
  const last = steps.pop() ?? '';
  let holder = copy;
  for (const step of steps) holder = holder[step] as Record<string, unknown>;
  delete holder[last];
  return copy;
}

function message(reply: ReturnType<typeof checkOrder>): string | undefined {
  return (reply?.json as { message?: string } | undefined)?.message;
}

describe('order rules', () => {
  for (const partner of [false, true]) {
    for (const product of ['jsapi', 'app', 'h5', 'native'] as const) {
      it(`passes a complete ${partner ? 'partner' : 'direct'} ${product} order`, () => {
        assert.equal(checkOrder(body(product, partner), product, partner, MCHID), undefined);
      });
    }
  }

  it('names each required field a direct order lacks', () => {
    for (const [product, path] of [['jsapi', 'appid'], ['jsapi', 'mchid'], ['app', 'description'], ['native', 'out_trade_no'], ['native', 'notify_url'], ['app', 'amount'], ['app', 'amount.total'], ['jsapi', 'payer'], ['jsapi', 'payer.openid'], ['h5', 'scene_info'], ['h5', 'scene_info.payer_client_ip'], ['h5', 'scene_info.h5_info'], ['h5', 'scene_info.h5_info.type']] as const) {
      const reply = checkOrder(without(body(product, false), path), product, false, MCHID);
      assert.equal(reply?.status, 400);
      assert.deepEqual(reply?.json, { code: 'PARAM_ERROR', message: `${path} is required`, detail: { location: 'body', field: `/${path.replace(/\./g, '/')}` } });
    }
  });

  it('names each required field a partner order lacks', () => {
    for (const path of ['sp_appid', 'sp_mchid', 'sub_mchid']) assert.equal(message(checkOrder(without(body('native', true), path), 'native', true, MCHID)), `${path} is required`);
  });

  it('checks formats: the order number, the amount, the currency, the notify URL, the expiry', () => {
    const check = (fields: Record<string, unknown>) => message(checkOrder({ ...body('native', false), ...fields }, 'native', false, MCHID));
    assert.match(check({ out_trade_no: 'T-1' }) ?? '', /^out_trade_no does not have the expected format/);
    assert.match(check({ out_trade_no: 'T 000001' }) ?? '', /^out_trade_no /);
    assert.equal(check({ out_trade_no: 'Ab_-|*09' }), undefined);
    assert.equal(check({ amount: { total: 0 } }), 'amount.total must be at least 1');
    assert.equal(check({ amount: { total: 1.5 } }), 'amount.total must be a whole number');
    assert.match(check({ amount: { total: 1, currency: 'USD' } }) ?? '', /^amount\.currency /);
    assert.match(check({ notify_url: '/relative' }) ?? '', /^notify_url /);
    assert.match(check({ notify_url: 'ftp://merchant.example/notify' }) ?? '', /^notify_url /);
    assert.equal(check({ notify_url: 'http://127.0.0.1:8080/notify' }), undefined, 'http on loopback is taken');
    assert.match(check({ time_expire: '2026-11-28 10:00:00' }) ?? '', /^time_expire /);
    assert.equal(check({ time_expire: '2026-11-28T10:00:00+08:00' }), undefined);
    assert.equal(check({ description: 'x'.repeat(128) }), 'description must be at most 127 characters');
  });

  it('refuses the ids of another merchant than the one that signed', () => {
    assert.equal(message(checkOrder({ ...body('app', false), mchid: '1900000002' }, 'app', false, MCHID)), `mchid is not the merchant that signed the request (${MCHID})`);
    assert.equal(message(checkOrder({ ...body('app', true), sp_mchid: '1900000002' }, 'app', true, MCHID)), `sp_mchid is not the merchant that signed the request (${MCHID})`);
  });

  it('wants a partner JSAPI payer as sp_openid or sub_openid, and sub_openid with a sub_appid', () => {
    const order = body('jsapi', true);
    assert.equal(message(checkOrder({ ...order, payer: {} }, 'jsapi', true, MCHID)), 'payer.sp_openid or payer.sub_openid is required');
    assert.equal(message(checkOrder({ ...order, payer: { sub_openid: 'o-sub' } }, 'jsapi', true, MCHID)), 'sub_appid is required with payer.sub_openid');
    assert.equal(checkOrder({ ...order, sub_appid: 'wxsub', payer: { sub_openid: 'o-sub' } }, 'jsapi', true, MCHID), undefined);
  });
});
