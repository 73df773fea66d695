import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bodyParser } from '@koa/bodyparser';
import type Koa from 'koa';
import { BodyConsumedError, ErrorCode, InvalidOptionError, koaNotifications } from '../../lib';
import { serveKoa } from '../support/frameworks';
import { assertAcknowledged, assertFail, NOTIFY_PATH, order, post } from '../support/notification-http';
import { adapterScenarios, Ledger, merchantWithVerifier } from '../support/notification-scenarios';

describe('koaNotifications on koa 3', () => {
  describe('the shared scenarios, app.use with path', () => {
    adapterScenarios((verifier, handler, onError) => serveKoa(() => undefined, (app) => app.use(koaNotifications(verifier, handler, { onError, path: NOTIFY_PATH }))));
  });

  describe('the shared scenarios, without path (as a router’s route: every request reaching it is a notification)', () => {
    adapterScenarios((verifier, handler, onError) =>
      serveKoa(
        () => undefined,
        (app) => {
          const notifications = koaNotifications(verifier, handler, { onError });
          app.use((ctx, next) => (ctx.path === NOTIFY_PATH ? notifications(ctx, next) : next()));
        },
      ),
    );
  });

  describe('routing and body parsers', () => {
    const merchant = merchantWithVerifier();

    async function deliver(setup: (app: Koa) => void, outTradeNo: string) {
      const ledger = new Ledger();
      const server = await serveKoa(setup, (app) => app.use(koaNotifications(merchant.verifier, ledger.handler, { onError: ledger.onError, path: NOTIFY_PATH })));
      try {
        return { answer: await merchant.sandbox.notify(server.url, { resource: order(outTradeNo) }), ledger };
      } finally {
        await server.close();
      }
    }

    it('with path, passes other paths and methods on to the next middleware', async () => {
      const ledger = new Ledger();
      const server = await serveKoa(() => undefined, (app) => app.use(koaNotifications(merchant.verifier, ledger.handler, { onError: ledger.onError, path: NOTIFY_PATH })));
      try {
        const other = await post(server.url.replace(NOTIFY_PATH, '/orders'), { 'Content-Type': 'application/json' }, '{}');
        assert.deepEqual([other.status, JSON.parse(other.body)], [200, { passedOn: '/orders' }]);
        const get = await fetch(server.url);
        assert.deepEqual([get.status, await get.json()], [200, { passedOn: NOTIFY_PATH }]);
        assert.equal(ledger.failures.length, 0);
      } finally {
        await server.close();
      }
    });

    it('@koa/bodyparser in front: the raw body it keeps (ctx.request.rawBody) is verified', async () => {
      const { answer, ledger } = await deliver((app) => app.use(bodyParser()), 'KOA-BODYPARSER');
      assertAcknowledged(answer);
      assert.deepEqual(ledger.orders(), ['KOA-BODYPARSER']);
    });

    it('the trap: a parser in front that keeps no raw body, so 500 and BODY_CONSUMED saying what to change', async () => {
      // A hand-written JSON parser, as apps have: it reads ctx.req and keeps only the object.
      const { answer, ledger } = await deliver((app) => {
        app.use(async (ctx, next) => {
          const chunks: Buffer[] = [];
          for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
          (ctx.request as { body?: unknown }).body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          await next();
        });
      }, 'KOA-TRAPPED');
      assert.match(assertFail(answer, 500), new RegExp(ErrorCode.BODY_CONSUMED));
      assert.deepEqual(ledger.orders(), []);
      const { error } = ledger.lastFailure();
      assert.ok(error instanceof BodyConsumedError);
      assert.match(error.message, /before the body parser/);
    });

    it('checks its arguments when made, naming the one at fault', () => {
      assert.throws(() => koaNotifications(merchant.verifier, () => undefined, { path: 'notify' }), (error: unknown) => error instanceof InvalidOptionError && /^koaNotifications: path: /.test(error.message));
      assert.throws(() => koaNotifications(undefined as never, () => undefined), (error: unknown) => error instanceof InvalidOptionError && /^koaNotifications: verifier: /.test(error.message));
    });
  });
});
