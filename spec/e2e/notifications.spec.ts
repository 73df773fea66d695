import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import Koa from 'koa';
import { DecryptionError, NotificationVerifier, WechatpayError, type NotificationEvent } from '../../lib';
import { Sandbox } from '../../lib/sandbox';

interface Transaction {
  out_trade_no: string;
  trade_state: string;
  amount: { total: number; currency: string };
}

/** What one merchant server did with the notifications it verified. */
interface Ledger {
  /** Event ids already acted on: the gateway repeats notifications until it gets a 2xx. */
  seen: Set<string>;
  /** `out_trade_no` of each order marked paid, in order. */
  paid: string[];
}

/** Acts on a verified payment notification once per event id. */
function fulfil(ledger: Ledger, event: NotificationEvent): void {
  if (event.event_type !== 'TRANSACTION.SUCCESS' || ledger.seen.has(event.id)) return;
  ledger.seen.add(event.id);
  ledger.paid.push(event.resource.out_trade_no);
}

/**
 * The answer to a notification that could not be accepted. Anything but 2xx makes the gateway
 * try again later; 4xx says the notification itself was refused, 5xx that the merchant could not
 * process it (a wrong APIv3 key in our configuration is our fault, so it is a 500).
 */
function refusal(error: unknown): { status: number; body: { code: 'FAIL'; message: string } } {
  if (error instanceof WechatpayError && !(error instanceof DecryptionError)) return { status: 400, body: { code: 'FAIL', message: `notification rejected: ${error.code}` } };
  return { status: 500, body: { code: 'FAIL', message: 'notification not processed' } };
}

/** The raw body of a node request, byte for byte. */
async function rawBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/wechatpay/notify`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/** node:http alone: collect the chunks, verify, answer 204. */
function nodeHttpServer(verifier: NotificationVerifier, ledger: Ledger): Server {
  return createServer((request, response) => {
    if (request.method !== 'POST' || request.url !== '/wechatpay/notify') {
      response.writeHead(404).end();
      return;
    }
    rawBody(request)
      .then((body) => verifier.verify({ headers: request.headers, body }))
      .then(
        (event) => {
          fulfil(ledger, event);
          response.writeHead(204).end();
        },
        (error: unknown) => {
          const { status, body: answer } = refusal(error);
          response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
        },
      );
  });
}

/** express 5: `express.raw` on the route keeps the body a Buffer; answers 200 with SUCCESS. */
function expressServer(verifier: NotificationVerifier, ledger: Ledger): Server {
  const app = express();
  app.post('/wechatpay/notify', express.raw({ type: 'application/json' }), async (request, response) => {
    try {
      fulfil(ledger, await verifier.verify({ headers: request.headers, body: request.body as Buffer }));
      response.status(200).json({ code: 'SUCCESS', message: '成功' });
    } catch (error) {
      const { status, body } = refusal(error);
      response.status(status).json(body);
    }
  });
  return createServer(app);
}

/** koa 3: no body parser; the handler reads `ctx.req` itself. */
function koaServer(verifier: NotificationVerifier, ledger: Ledger): Server {
  const app = new Koa();
  app.use(async (ctx) => {
    if (ctx.method !== 'POST' || ctx.path !== '/wechatpay/notify') return;
    const body = await rawBody(ctx.req);
    try {
      fulfil(ledger, await verifier.verify({ headers: ctx.headers, body }));
      ctx.status = 204;
    } catch (error) {
      const { status, body: answer } = refusal(error);
      ctx.status = status;
      ctx.body = answer;
    }
  });
  const handle = app.callback();
  // koa handles its own errors; the promise it returns only says when the answer is sent.
  return createServer((request, response) => void handle(request, response));
}

const FRAMEWORKS = [
  { name: 'node:http', serve: nodeHttpServer, success: { status: 204, body: '' } },
  { name: 'express 5', serve: expressServer, success: { status: 200, body: JSON.stringify({ code: 'SUCCESS', message: '成功' }) } },
  { name: 'koa 3', serve: koaServer, success: { status: 204, body: '' } },
] as const;

describe('notifications delivered over HTTP to a merchant server', () => {
  let sandbox: Sandbox;
  let verifier: NotificationVerifier;
  before(async () => {
    sandbox = await Sandbox.start({ mode: 'public-key' });
    verifier = new NotificationVerifier(sandbox.notificationOptions);
  });
  after(() => sandbox.close());

  for (const framework of FRAMEWORKS) {
    describe(`on ${framework.name}`, () => {
      const ledger: Ledger = { seen: new Set(), paid: [] };
      let server: Server;
      let url = '';
      before(async () => {
        server = framework.serve(verifier, ledger);
        url = await listen(server);
      });
      after(() => close(server));

      function order(out_trade_no: string): Transaction {
        return { out_trade_no, trade_state: 'SUCCESS', amount: { total: 100, currency: 'CNY' } };
      }

      function assertRefused(answer: { status: number; headers: Record<string, unknown>; body: string }, status: number): void {
        assert.equal(answer.status, status);
        assert.match(String(answer.headers['content-type']), /^application\/json/);
        const body = JSON.parse(answer.body) as { code: string; message: string };
        assert.deepEqual(Object.keys(body).sort(), ['code', 'message']);
        assert.equal(body.code, 'FAIL');
        assert.equal(typeof body.message, 'string');
      }

      it(`acknowledges a genuine notification with ${framework.success.status} after the handler saw the decrypted resource`, async () => {
        const answer = await sandbox.notify(url, { resource: order(`${framework.name}-GENUINE`) });
        assert.equal(answer.status, framework.success.status);
        assert.equal(answer.body, framework.success.body);
        assert.deepEqual(ledger.paid.slice(-1), [`${framework.name}-GENUINE`]);
      });

      it('answers a tampered notification with 400 and { code: FAIL, message }, and the handler never processes it', async () => {
        const before = ledger.paid.length;
        const answer = await sandbox.notify(url, { resource: order(`${framework.name}-TAMPERED`) }, { type: 'tampered-body' });
        assertRefused(answer, 400);
        assert.match(answer.body, /ERR_WECHATPAY_BAD_SIGNATURE/);
        assert.equal(ledger.paid.length, before);
        assert.ok(!ledger.paid.includes(`${framework.name}-TAMPERED`));
      });

      it('answers the signature probe and a stale notification with 400, processing neither', async () => {
        const before = ledger.paid.length;
        assertRefused(await sandbox.notify(url, { resource: order(`${framework.name}-PROBE`) }, { type: 'signature-probe' }), 400);
        assertRefused(await sandbox.notify(url, { resource: order(`${framework.name}-STALE`) }, { type: 'stale-timestamp', seconds: 3600 }), 400);
        assert.equal(ledger.paid.length, before);
      });

      it('answers 500 when the resource does not decrypt under our APIv3 key, so that the gateway retries', async () => {
        const before = ledger.paid.length;
        assertRefused(await sandbox.notify(url, { resource: order(`${framework.name}-KEY`) }, { type: 'wrong-apiv3-key' }), 500);
        assert.equal(ledger.paid.length, before);
      });

      it('acknowledges a repeated notification again but acts on it once', async () => {
        const id = `EV-${framework.name}-REPEAT`;
        const first = await sandbox.notify(url, { id, resource: order(`${framework.name}-REPEAT`) });
        const again = await sandbox.notify(url, { id, resource: order(`${framework.name}-REPEAT`) });
        assert.deepEqual([first.status, again.status], [framework.success.status, framework.success.status]);
        assert.equal(ledger.paid.filter((paid) => paid === `${framework.name}-REPEAT`).length, 1);
      });
    });
  }
});
