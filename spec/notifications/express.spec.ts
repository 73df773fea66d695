import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import type express5 from 'express';
import { BodyConsumedError, ErrorCode, expressNotifications, InvalidOptionError, type NotificationVerifier } from '../../lib';
import { Sandbox } from '../../lib/sandbox';
import { EXPRESSES, serveExpress } from '../support/frameworks';
import { assertAcknowledged, assertFail, NOTIFY_PATH, order } from '../support/notification-http';
import { adapterScenarios, clientVerifier, Ledger, merchantWithVerifier } from '../support/notification-scenarios';

for (const { name, express } of EXPRESSES) {
  const serve = (setup: (app: express5.Express) => void, mount: (app: express5.Express) => void) => serveExpress(express, setup, mount);

  describe(`expressNotifications on ${name}`, () => {
    describe('the shared scenarios, the route mounted with app.post', () => {
      adapterScenarios((verifier, handler, onError) => serve(() => undefined, (app) => app.post(NOTIFY_PATH, expressNotifications(verifier, handler, { onError }))));
    });

    describe('behind body parsers', () => {
      const merchant = merchantWithVerifier();

      /** Sends one genuine notification to an app built by `setup` and resolves to the answer and the ledger. */
      async function deliver(setup: (app: express5.Express) => void, outTradeNo: string) {
        const ledger = new Ledger();
        const server = await serve(setup, (app) => app.post(NOTIFY_PATH, expressNotifications(merchant.verifier, ledger.handler, { onError: ledger.onError })));
        try {
          return { answer: await merchant.sandbox.notify(server.url, { resource: order(outTradeNo) }), ledger };
        } finally {
          await server.close();
        }
      }

      it('the trap: app.use(express.json()) in front consumed the body and kept nothing, so 500 (the gateway retries) and BODY_CONSUMED says what to change', async () => {
        const { answer, ledger } = await deliver((app) => app.use(express.json()), 'TRAPPED');
        assert.match(assertFail(answer, 500), new RegExp(ErrorCode.BODY_CONSUMED));
        assert.deepEqual(ledger.orders(), []);
        const { error, failure } = ledger.lastFailure();
        assert.ok(error instanceof BodyConsumedError);
        assert.equal(error.code, ErrorCode.BODY_CONSUMED);
        assert.equal(failure.stage, 'body');
        assert.match(error.message, /before express\.json\(\)/);
        assert.match(error.message, /express\.json\(\{ verify/);
      });

      it('the recipe: express.json({ verify }) that keeps req.rawBody, then the route verifies those bytes', async () => {
        const keepRaw = (request: IncomingMessage, _response: unknown, buffer: Buffer) => {
          Object.assign(request, { rawBody: buffer });
        };
        const { answer, ledger } = await deliver((app) => app.use(express.json({ verify: keepRaw })), 'KEPT-RAW');
        assertAcknowledged(answer);
        assert.deepEqual(ledger.orders(), ['KEPT-RAW']);
      });

      it('express.raw() in front: its Buffer req.body is the raw body', async () => {
        const { answer, ledger } = await deliver((app) => app.use(express.raw({ type: '*/*' })), 'RAW-PARSER');
        assertAcknowledged(answer);
        assert.deepEqual(ledger.orders(), ['RAW-PARSER']);
      });

      it('express.json() for another content type leaves the stream untouched, and the route reads it', async () => {
        const { answer, ledger } = await deliver((app) => app.use(express.json({ type: 'application/vnd.other+json' })), 'UNTOUCHED');
        assertAcknowledged(answer);
        assert.deepEqual(ledger.orders(), ['UNTOUCHED']);
      });
    });
  });
}

describe('expressNotifications arguments', () => {
  it('are checked when the middleware is made, naming the one at fault', async () => {
    const sandbox = await Sandbox.start({ mode: 'public-key' });
    try {
      const verifier = clientVerifier(sandbox);
      const refuses = (run: () => unknown, pattern: RegExp) => assert.throws(run, (error: unknown) => error instanceof InvalidOptionError && pattern.test(error.message));
      refuses(() => expressNotifications({} as NotificationVerifier, () => undefined), /^expressNotifications: verifier: expected a NotificationVerifier/);
      refuses(() => expressNotifications(verifier, 'handler' as never), /^expressNotifications: handler: expected a function/);
      refuses(() => expressNotifications(verifier, () => undefined, { onError: 1 as never }), /^expressNotifications: onError: expected a function/);
      // A misspelt onError would otherwise leave every failure reported to the console alone.
      refuses(() => expressNotifications(verifier, () => undefined, { onErorr: () => undefined } as never), /^expressNotifications: options\.onErorr: unknown; the options are onError$/);
    } finally {
      await sandbox.close();
    }
  });
});
