// Whole merchant servers receiving the sandbox's notifications over HTTP, each written as the
// guide's recipes write them (docs/guide/callbacks.md): one adapter call per framework, and a
// handler that acts on each payment once.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import Koa from 'koa';
import { expressNotifications, fastifyNotifications, fetchNotifications, koaNotifications, NotificationVerifier, Wechatpay, type NotificationEvent, type NotificationHandler } from '../../lib';
import { Sandbox } from '../../lib/sandbox';
import { serveFastify, serveHono } from '../support/frameworks';
import { assertFail, close, listen, NOTIFY_PATH, order } from '../support/notification-http';

/** What one merchant server did with the notifications it verified. */
interface Ledger {
  /** Event ids already acted on: the gateway repeats notifications until it gets a 2xx. */
  seen: Set<string>;
  /** `out_trade_no` of each order marked paid, in order. */
  paid: string[];
}

/** The merchant's handler: acts on a verified payment notification once per event id. */
function fulfil(ledger: Ledger): NotificationHandler {
  return (event: NotificationEvent) => {
    // A combined order (合单) has no out_trade_no of its own: its sub-orders do.
    if (event.event_type !== 'TRANSACTION.SUCCESS' || !('out_trade_no' in event.resource) || ledger.seen.has(event.id)) return;
    ledger.seen.add(event.id);
    ledger.paid.push(event.resource.out_trade_no);
  };
}

/** node:http alone: the express middleware needs nothing of express but node's request and response. */
async function nodeHttpServer(verifier: NotificationVerifier, handler: NotificationHandler): Promise<{ url: string; close(): Promise<void> }> {
  const notifications = expressNotifications(verifier, handler, { onError: () => undefined });
  const server: Server = createServer((request, response) => {
    if (request.method === 'POST' && request.url === NOTIFY_PATH) notifications(request, response, () => response.destroy());
    else response.writeHead(404).end();
  });
  return { url: await listen(server), close: () => close(server) };
}

/** express 5 with express.json() for the rest of the app, the notification route mounted before it. */
async function expressServer(verifier: NotificationVerifier, handler: NotificationHandler): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.post(NOTIFY_PATH, expressNotifications(verifier, handler, { onError: () => undefined }));
  app.use(express.json());
  const server = createServer(app);
  return { url: await listen(server), close: () => close(server) };
}

/** koa 3: the middleware answers POSTs to its path and passes everything else on. */
async function koaServer(verifier: NotificationVerifier, handler: NotificationHandler): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Koa();
  app.use(koaNotifications(verifier, handler, { path: NOTIFY_PATH, onError: () => undefined }));
  const handle = app.callback();
  const server = createServer((request, response) => void handle(request, response));
  return { url: await listen(server), close: () => close(server) };
}

const FRAMEWORKS = [
  { name: 'node:http', serve: nodeHttpServer },
  { name: 'express 5', serve: expressServer },
  { name: 'koa 3', serve: koaServer },
  {
    name: 'fastify 5',
    serve: (verifier: NotificationVerifier, handler: NotificationHandler) => serveFastify((app) => app.register(fastifyNotifications({ verifier, handler, onError: () => undefined }), { prefix: NOTIFY_PATH })),
  },
  {
    name: 'Hono',
    serve: (verifier: NotificationVerifier, handler: NotificationHandler) => {
      const notifications = fetchNotifications(verifier, handler, { onError: () => undefined });
      return serveHono((app) => app.post(NOTIFY_PATH, (c) => notifications(c.req.raw)));
    },
  },
] as const;

describe('notifications delivered over HTTP to a merchant server', () => {
  let sandbox: Sandbox;
  let verifier: NotificationVerifier;
  before(async () => {
    sandbox = await Sandbox.start({ mode: 'public-key' });
    const wxpay = new Wechatpay({ ...sandbox.clientOptions, apiv3Key: sandbox.apiv3Key });
    verifier = new NotificationVerifier({ client: wxpay });
  });
  after(() => sandbox.close());

  for (const framework of FRAMEWORKS) {
    describe(`on ${framework.name}`, () => {
      const ledger: Ledger = { seen: new Set(), paid: [] };
      let server: { url: string; close(): Promise<void> };
      before(async () => {
        server = await framework.serve(verifier, fulfil(ledger));
      });
      after(() => server.close());

      it('acknowledges a genuine notification with 204 after the handler saw the decrypted resource', async () => {
        const answer = await sandbox.notify(server.url, { resource: order(`${framework.name}-GENUINE`) });
        assert.equal(answer.status, 204);
        assert.equal(answer.body, '');
        assert.deepEqual(ledger.paid.slice(-1), [`${framework.name}-GENUINE`]);
      });

      it('answers a tampered notification with 400 and { code: FAIL, message }, and the handler never processes it', async () => {
        const before = ledger.paid.length;
        const answer = await sandbox.notify(server.url, { resource: order(`${framework.name}-TAMPERED`) }, { type: 'tampered-body' });
        assert.match(assertFail(answer, 400), /ERR_WECHATPAY_BAD_SIGNATURE/);
        assert.equal(ledger.paid.length, before);
        assert.ok(!ledger.paid.includes(`${framework.name}-TAMPERED`));
      });

      it('answers the signature probe and a stale notification with 400, processing neither', async () => {
        const before = ledger.paid.length;
        assertFail(await sandbox.notify(server.url, { resource: order(`${framework.name}-PROBE`) }, { type: 'signature-probe' }), 400);
        assertFail(await sandbox.notify(server.url, { resource: order(`${framework.name}-STALE`) }, { type: 'stale-timestamp', seconds: 3600 }), 400);
        assert.equal(ledger.paid.length, before);
      });

      it('answers 500 when the resource does not decrypt under our APIv3 key, so that the gateway retries', async () => {
        const before = ledger.paid.length;
        assertFail(await sandbox.notify(server.url, { resource: order(`${framework.name}-KEY`) }, { type: 'wrong-apiv3-key' }), 500);
        assert.equal(ledger.paid.length, before);
      });

      it('acknowledges a repeated notification again but acts on it once', async () => {
        const id = `EV-${framework.name}-REPEAT`;
        const first = await sandbox.notify(server.url, { id, resource: order(`${framework.name}-REPEAT`) });
        const again = await sandbox.notify(server.url, { id, resource: order(`${framework.name}-REPEAT`) });
        assert.deepEqual([first.status, again.status], [204, 204]);
        assert.equal(ledger.paid.filter((paid) => paid === `${framework.name}-REPEAT`).length, 1);
      });
    });
  }
});
