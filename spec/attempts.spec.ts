import assert from 'node:assert/strict';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ApiError, ErrorCode, NetworkError, Wechatpay } from '../lib';
import { Sandbox } from '../lib/sandbox';
import { closedPort } from './support/ports';

/** A TCP server that accepts connections and then does `onSocket` with them (holds them, or writes garbage). */
async function tcpServer(onSocket: (socket: Socket) => void): Promise<{ server: TcpServer; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createTcpServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, sockets };
}

function closeTcp({ server, sockets }: { server: TcpServer; sockets: Socket[] }): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Requests the sandbox received for `path`. */
function arrivals(sandbox: Sandbox, path: string): number {
  return sandbox.requests.filter((request) => request.target.split('?')[0] === path).length;
}

describe('sending attempts: retries and failover', () => {
  let backup: Sandbox;
  before(async () => {
    backup = await Sandbox.start({ mchid: '1900000601' });
    backup.route({ method: 'GET', path: '/v3/ping', handle: () => ({ json: { pong: true } }) });
    backup.route({ method: 'POST', path: '/v3/orders', handle: ({ json }) => ({ json: { received: json } }) });
  });
  after(() => backup.close());

  describe('failover', () => {
    it('moves a call whose primary host refuses the connection to the backup host, where it is signed anew and verified', async () => {
      const primary = `http://127.0.0.1:${await closedPort()}/`;
      const wxpay = new Wechatpay({ ...backup.clientOptions, baseURL: primary, failover: { baseURL: backup.baseURL } });
      const before = arrivals(backup, '/v3/orders');
      const { data } = await wxpay.v3.orders.post({ json: { out_trade_no: 'FAILOVER-1' } });
      assert.deepEqual(data, { received: { out_trade_no: 'FAILOVER-1' } });
      assert.equal(arrivals(backup, '/v3/orders'), before + 1);
      assert.equal(backup.requests.at(-1)?.authorized, true, 'the backup verified the signature made for it');
    });

    it('without failover, the same call fails with a NetworkError saying the request never reached the gateway', async () => {
      const port = await closedPort();
      const wxpay = new Wechatpay({ ...backup.clientOptions, baseURL: `http://127.0.0.1:${port}/` });
      const error = await wxpay.v3.orders.post({ json: {} }).catch((e: unknown) => e);
      assert.ok(error instanceof NetworkError, String(error));
      assert.equal(error.code, ErrorCode.NETWORK);
      assert.equal(error.mayHaveBeenProcessed, false);
      assert.deepEqual(error.hosts, [`127.0.0.1:${port}`]);
      assert.match(error.message, /^POST v3\/orders: .*\(ECONNREFUSED\); the request never reached the gateway \(1 attempt: 127\.0\.0\.1:\d+\)$/);
    });

    it('when the backup refuses too, the error names each host once, in the order tried', async () => {
      const [primaryPort, backupPort] = [await closedPort(), await closedPort()];
      const wxpay = new Wechatpay({ ...backup.clientOptions, baseURL: `http://127.0.0.1:${primaryPort}/`, failover: { baseURL: `http://localhost:${backupPort}/` } });
      const error = await wxpay.v3.orders.post({ json: {} }).catch((e: unknown) => e);
      assert.ok(error instanceof NetworkError, String(error));
      assert.deepEqual(error.hosts, [`127.0.0.1:${primaryPort}`, `localhost:${backupPort}`]);
      assert.match(error.message, new RegExp(`\\(2 attempts: 127\\.0\\.0\\.1:${primaryPort}, localhost:${backupPort}\\)$`));
    });

    it('fails over when the TLS handshake fails, and when the connection is not established within connectTimeoutMs', async () => {
      const garbage = await tcpServer((socket) => socket.end('HTTP/1.1 200 OK\r\n\r\nnot tls'));
      const silent = await tcpServer(() => undefined);
      try {
        for (const [primary, retry] of [
          [`https://127.0.0.1:${garbage.port}/`, undefined],
          [`https://127.0.0.1:${silent.port}/`, { attempts: 1, connectTimeoutMs: 200 }],
        ] as const) {
          const wxpay = new Wechatpay({ ...backup.clientOptions, baseURL: primary, failover: { baseURL: backup.baseURL }, retry });
          const started = Date.now();
          assert.deepEqual((await wxpay.v3.orders.post({ json: { via: primary } })).data, { received: { via: primary } });
          assert.ok(Date.now() - started < 5000, 'within the connect timeout, not the call deadline');
        }
      } finally {
        await Promise.all([closeTcp(garbage), closeTcp(silent)]);
      }
    });

    it('downloads platform certificates through the same policy', async () => {
      const { certs, ...withoutCerts } = backup.clientOptions;
      void certs;
      const wxpay = new Wechatpay({ ...withoutCerts, apiv3Key: backup.apiv3Key, baseURL: `http://127.0.0.1:${await closedPort()}/`, failover: { baseURL: backup.baseURL } });
      const downloads = arrivals(backup, '/v3/certificates');
      assert.deepEqual((await wxpay.chain('v3/ping').get()).data, { pong: true });
      assert.equal(arrivals(backup, '/v3/certificates'), downloads + 1, 'the certificates came from the backup');
    });

    it('refuses failover: true for a host that has no official backup, and unusable retry options, naming the option', () => {
      const refuses = (extra: Record<string, unknown>, pattern: RegExp) =>
        assert.throws(() => new Wechatpay({ ...backup.clientOptions, ...extra }), (error: Error & { code?: string }) => error.code === ErrorCode.INVALID_OPTION && pattern.test(error.message), String(pattern));
      refuses({ failover: true }, /^failover: true needs an official baseURL/);
      refuses({ failover: { baseURL: 'ftp://x' } }, /^failover\.baseURL: expected an absolute http\(s\) URL/);
      refuses({ failover: 'yes' }, /^failover: expected true, false, or \{ baseURL \}/);
      refuses({ retry: { attempts: 0 } }, /^retry\.attempts: expected a whole number, at least 1/);
      refuses({ retry: { tries: 3 } }, /^retry\.tries: unknown/);
      refuses({ retry: 3 }, /^retry: expected true, false, or/);
      for (const name of ['baseDelayMs', 'maxDelayMs', 'connectTimeoutMs']) refuses({ retry: { [name]: 2 ** 31 } }, new RegExp(`^retry\\.${name}: expected a whole number from \\d to 2147483647`));
      assert.ok(new Wechatpay({ ...backup.clientOptions, baseURL: 'https://api.mch.weixin.qq.com/', failover: true }));
    });
  });

  describe('retries', () => {
    it('retries a GET answered 503, 503, 200 and succeeds on the third attempt, within the deadline', async () => {
      const wxpay = new Wechatpay({ ...backup.clientOptions, retry: { attempts: 3, baseDelayMs: 20 } });
      backup.inject({ type: 'error', status: 503, code: 'SYSTEM_ERROR' }).inject({ type: 'error', status: 503, code: 'SYSTEM_ERROR' });
      const before = arrivals(backup, '/v3/ping');
      assert.deepEqual((await wxpay.chain('v3/ping').get({ timeout: 5000 })).data, { pong: true });
      assert.equal(arrivals(backup, '/v3/ping'), before + 3);
      const signatures = backup.requests.slice(-3).map((request) => String(request.headers.authorization));
      assert.equal(new Set(signatures).size, 3, 'each attempt signed anew');
      assert.ok(backup.requests.slice(-3).every((request) => request.authorized));
    });

    it('gives up after attempts, the error naming them', async () => {
      const wxpay = new Wechatpay({ ...backup.clientOptions, retry: { attempts: 2, baseDelayMs: 1 } });
      backup.inject({ type: 'error', status: 500 }).inject({ type: 'error', status: 502 });
      const error = await wxpay.chain('v3/ping').get().catch((e: unknown) => e);
      assert.ok(error instanceof ApiError && error.response?.status === 502, String(error));
      assert.match(error.message, /\(2 attempts: 127\.0\.0\.1:\d+ ×2\)$/);
    });

    it('honours Retry-After', async () => {
      let calls = 0;
      backup.route({ method: 'GET', path: '/v3/busy', handle: () => (++calls === 1 ? { status: 429, json: { code: 'FREQUENCY_LIMITED', message: 'slow down' }, headers: { 'Retry-After': '1' } } : { json: { calls } }) });
      const wxpay = new Wechatpay({ ...backup.clientOptions, retry: { attempts: 2, baseDelayMs: 1 } });
      const started = Date.now();
      assert.deepEqual((await wxpay.chain('v3/busy').get()).data, { calls: 2 });
      assert.ok(Date.now() - started >= 950, `waited ${Date.now() - started} ms`);
    });

    it('does not wait past the deadline: a Retry-After longer than the time left ends the call with the last answer', async () => {
      backup.route({ method: 'GET', path: '/v3/later', handle: () => ({ status: 503, json: { code: 'SYSTEM_ERROR', message: 'later' }, headers: { 'Retry-After': '30' } }) });
      const wxpay = new Wechatpay({ ...backup.clientOptions, retry: true });
      const started = Date.now();
      const error = await wxpay.chain('v3/later').get({ timeout: 2000 }).catch((e: unknown) => e);
      assert.ok(error instanceof ApiError && error.response?.status === 503, String(error));
      assert.ok(Date.now() - started < 1000);
    });

    it('without a deadline, takes a Retry-After longer than a timer holds as no retry at all, not as one at once', async () => {
      backup.route({ method: 'GET', path: '/v3/much-later', handle: () => ({ status: 503, json: { code: 'SYSTEM_ERROR', message: 'much later' }, headers: { 'Retry-After': '2147484' } }) });
      const wxpay = new Wechatpay({ ...backup.clientOptions, retry: true });
      const error = await wxpay.chain('v3/much-later').get({ timeout: 0 }).catch((e: unknown) => e);
      assert.ok(error instanceof ApiError && error.response?.status === 503, String(error));
      assert.equal(arrivals(backup, '/v3/much-later'), 1);
    });

    it('never sends a POST again once its connection was cut after the body was sent: one arrival, and an error saying it may have been processed', async () => {
      const wxpay = new Wechatpay({ ...backup.clientOptions, retry: { attempts: 3, baseDelayMs: 1 } });
      const before = arrivals(backup, '/v3/orders');
      backup.inject({ type: 'connection-reset' });
      const error = await wxpay.v3.orders.post({ json: { out_trade_no: 'ONCE-1' } }).catch((e: unknown) => e);
      assert.ok(error instanceof NetworkError, String(error));
      assert.equal(error.mayHaveBeenProcessed, true);
      assert.match(error.message, /may have reached the gateway and been processed: query it before sending it again \(1 attempt/);
      assert.equal(arrivals(backup, '/v3/orders'), before + 1, 'the gateway counted one arrival');
    });

    it('retries a GET whose connection was cut, and a POST that never connected', async () => {
      const wxpay = new Wechatpay({ ...backup.clientOptions, retry: { attempts: 2, baseDelayMs: 1 } });
      backup.inject({ type: 'connection-reset' });
      assert.deepEqual((await wxpay.chain('v3/ping').get()).data, { pong: true });
      const port = await closedPort();
      const unreachable = new Wechatpay({ ...backup.clientOptions, baseURL: `http://127.0.0.1:${port}/`, retry: { attempts: 3, baseDelayMs: 1 } });
      const error = await unreachable.v3.orders.post({ json: {} }).catch((e: unknown) => e);
      assert.ok(error instanceof NetworkError && !error.mayHaveBeenProcessed);
      assert.deepEqual(error.hosts, Array(3).fill(`127.0.0.1:${port}`), 'three attempts, all before any connection');
    });
  });
});
