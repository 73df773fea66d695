import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { after, before, describe, it } from 'node:test';
import { Wechatpay } from '../lib';
import { CHANNELS } from '../lib/diagnostics';
import { Sandbox } from '../lib/sandbox';
import { closedPort } from './support/ports';

type Published = { channel: string; message: Record<string, unknown> };

describe('diagnostics_channel events', () => {
  let sandbox: Sandbox;
  const seen: Published[] = [];
  const listeners = Object.values(CHANNELS).map((channel) => {
    const name = String(channel.name);
    return [name, (message: unknown) => seen.push({ channel: name, message: message as Record<string, unknown> })] as const;
  });

  before(async () => {
    sandbox = await Sandbox.start({ mchid: '1900000701' });
    sandbox.route({ method: 'GET', path: '/v3/ping', handle: () => ({ json: { pong: true } }) });
    sandbox.route({ method: 'POST', path: '/v3/orders', handle: ({ json }) => ({ json: { received: json } }) });
    for (const [name, listener] of listeners) subscribe(name, listener);
  });
  after(async () => {
    for (const [name, listener] of listeners) unsubscribe(name, listener);
    await sandbox.close();
  });

  it('publishes request, response, error, retry, failover and certificates events, none carrying key material, signatures, bodies or queries', async () => {
    const { certs, ...withoutCerts } = sandbox.clientOptions;
    void certs;
    const primary = await closedPort();
    const wxpay = new Wechatpay({ ...withoutCerts, apiv3Key: sandbox.apiv3Key, baseURL: `http://127.0.0.1:${primary}/`, failover: { baseURL: sandbox.baseURL }, retry: { attempts: 2, baseDelayMs: 1 } });
    seen.splice(0);
    await wxpay.v3.orders.post({ json: { out_trade_no: 'BODY-MARKER-7731', phone: 'SENSITIVE-MARKER' }, query: { marker: 'QUERY-MARKER-5519' } });
    sandbox.inject({ type: 'error', status: 503 });
    await wxpay.chain('v3/ping').get();
    const authorization = String(sandbox.requests.at(-1)?.headers.authorization);

    const channels = new Set(seen.map((event) => event.channel));
    for (const name of ['wechatpay:request', 'wechatpay:response', 'wechatpay:error', 'wechatpay:retry', 'wechatpay:failover', 'wechatpay:certificates']) assert.ok(channels.has(name), `no ${name} event`);

    const failover = seen.find((event) => event.channel === 'wechatpay:failover')!.message;
    assert.equal(failover.host, `127.0.0.1:${primary}`);
    assert.equal(failover.to, new URL(sandbox.baseURL).host);
    assert.equal(failover.reason, 'ECONNREFUSED');
    const response = seen.find((event) => event.channel === 'wechatpay:response' && event.message.path === '/v3/orders')!.message;
    assert.equal(response.status, 200);
    assert.equal(response.method, 'POST');
    assert.equal(typeof response.durationMs, 'number');
    assert.equal(response.attempt, 2, 'the second attempt, on the backup');
    assert.deepEqual(
      seen.filter((event) => event.channel === 'wechatpay:certificates').map((event) => event.message.phase),
      ['start', 'success'],
    );
    const retry = seen.find((event) => event.channel === 'wechatpay:retry')!.message;
    assert.equal(retry.reason, 'HTTP 503');
    // Every event names the merchant whose client made the exchange: a process of many merchants logs by it.
    assert.deepEqual(new Set(seen.map((event) => event.message.mchid)), new Set(['1900000701']));

    const text = JSON.stringify(seen);
    const signature = /signature="([^"]+)"/.exec(authorization)?.[1];
    assert.ok(signature);
    const keyBody = String(sandbox.clientOptions.privateKey).split('\n')[1];
    for (const secret of [signature, keyBody, sandbox.apiv3Key, sandbox.clientOptions.secret, 'BODY-MARKER-7731', 'SENSITIVE-MARKER', 'QUERY-MARKER-5519', 'WECHATPAY2-SHA256-RSA2048']) {
      assert.ok(!text.includes(secret), `an event carries ${secret.slice(0, 12)}…`);
    }
  });
});
