import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BodyConsumedError, ErrorCode, fetchNotifications, InvalidOptionError } from '../../lib';
import { serveHono } from '../support/frameworks';
import { assertAcknowledged, assertFail, NOTIFY_PATH, order } from '../support/notification-http';
import { adapterScenarios, Ledger, merchantWithVerifier } from '../support/notification-scenarios';

describe('fetchNotifications in a Hono app on @hono/node-server', () => {
  describe('the shared scenarios, the route handing c.req.raw over', () => {
    adapterScenarios((verifier, handler, onError) => {
      const notifications = fetchNotifications(verifier, handler, { onError });
      return serveHono((app) => app.post(NOTIFY_PATH, (c) => notifications(c.req.raw)));
    });
  });

  describe('a body read before', () => {
    const merchant = merchantWithVerifier();

    it('the trap: a middleware that read the Request body (request.json()) leaves nothing: 500 and BODY_CONSUMED', async () => {
      const ledger = new Ledger();
      const notifications = fetchNotifications(merchant.verifier, ledger.handler, { onError: ledger.onError });
      const server = await serveHono((app) =>
        app.post(NOTIFY_PATH, async (c) => {
          await c.req.raw.json();
          return notifications(c.req.raw);
        }),
      );
      try {
        assert.match(assertFail(await merchant.sandbox.notify(server.url, { resource: order('FETCH-TRAPPED') }), 500), new RegExp(ErrorCode.BODY_CONSUMED));
        const { error } = ledger.lastFailure();
        assert.ok(error instanceof BodyConsumedError);
        assert.match(error.message, /request\.clone\(\)/);
        assert.deepEqual(ledger.orders(), []);
      } finally {
        await server.close();
      }
    });

    it('the recipe: a clone taken before the body is read', async () => {
      const ledger = new Ledger();
      const notifications = fetchNotifications(merchant.verifier, ledger.handler, { onError: ledger.onError });
      const server = await serveHono((app) =>
        app.post(NOTIFY_PATH, async (c) => {
          const untouched = c.req.raw.clone();
          await c.req.raw.json();
          return notifications(untouched);
        }),
      );
      try {
        assertAcknowledged(await merchant.sandbox.notify(server.url, { resource: order('FETCH-CLONED') }));
        assert.deepEqual(ledger.orders(), ['FETCH-CLONED']);
      } finally {
        await server.close();
      }
    });

    it('checks its arguments when made, naming the one at fault', () => {
      assert.throws(() => fetchNotifications(merchant.verifier, null as never), (error: unknown) => error instanceof InvalidOptionError && /^fetchNotifications: handler: /.test(error.message));
    });
  });
});
