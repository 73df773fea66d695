import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode, fastifyNotifications, InvalidOptionError } from '../../lib';
import { serveFastify } from '../support/frameworks';
import { assertAcknowledged, assertFail, NOTIFY_PATH, order, post } from '../support/notification-http';
import { adapterScenarios, Ledger, merchantWithVerifier, MAX_BODY_BYTES } from '../support/notification-scenarios';

describe('fastifyNotifications on fastify 5', () => {
  describe('the shared scenarios, registered under a prefix', () => {
    adapterScenarios((verifier, handler, onError) => serveFastify((app) => app.register(fastifyNotifications({ verifier, handler, onError }), { prefix: NOTIFY_PATH })));
  });

  describe('the shared scenarios, with a path of its own', () => {
    adapterScenarios((verifier, handler, onError) => serveFastify((app) => app.register(fastifyNotifications({ verifier, handler, onError, path: NOTIFY_PATH }))));
  });

  describe('its scope', () => {
    const merchant = merchantWithVerifier();

    it('keeps its raw parser to itself: the app’s other routes still get parsed JSON', async () => {
      const ledger = new Ledger();
      const server = await serveFastify((app) => app.register(fastifyNotifications({ verifier: merchant.verifier, handler: ledger.handler, onError: ledger.onError, path: NOTIFY_PATH })));
      try {
        const other = await post(server.url.replace(NOTIFY_PATH, '/orders'), { 'Content-Type': 'application/json' }, '{"a": 1}');
        assert.deepEqual(JSON.parse(other.body), { parsed: { a: 1 } });
        assertAcknowledged(await merchant.sandbox.notify(server.url, { resource: order('FASTIFY-SCOPE') }));
        assert.deepEqual(ledger.orders(), ['FASTIFY-SCOPE']);
      } finally {
        await server.close();
      }
    });

    it('takes any content type, or none, as raw bytes', async () => {
      const ledger = new Ledger();
      const server = await serveFastify((app) => app.register(fastifyNotifications({ verifier: merchant.verifier, handler: ledger.handler, onError: ledger.onError, path: NOTIFY_PATH })));
      try {
        for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', undefined]) {
          const headers = type === undefined ? {} : { 'Content-Type': type };
          assert.match(assertFail(await post(server.url, headers, '{"id":"x"}'), 400), new RegExp(ErrorCode.INCOMPLETE_HEADERS), String(type));
        }
      } finally {
        await server.close();
      }
    });

    it('answers its own body limit (maxBodyBytes) with the FAIL answer, reported as INVALID_ARGUMENT', async () => {
      const ledger = new Ledger();
      const server = await serveFastify((app) => app.register(fastifyNotifications({ verifier: merchant.verifier, handler: ledger.handler, onError: ledger.onError, path: NOTIFY_PATH })));
      try {
        assertFail(await post(server.url, { 'Content-Type': 'application/json' }, ' '.repeat(MAX_BODY_BYTES + 1)), 413);
        const { error, failure } = ledger.lastFailure();
        assert.equal(failure.status, 413);
        assert.equal((error as { code?: string }).code, ErrorCode.INVALID_ARGUMENT);
      } finally {
        await server.close();
      }
    });

    it('checks its options when made, naming the one at fault', () => {
      const refuses = (options: unknown, pattern: RegExp) => assert.throws(() => fastifyNotifications(options as never), (error: unknown) => error instanceof InvalidOptionError && pattern.test(error.message));
      refuses({ verifier: merchant.verifier, handler: () => undefined, path: 'notify' }, /^fastifyNotifications: path: /);
      refuses({ handler: () => undefined }, /^fastifyNotifications: verifier: /);
      refuses({ verifier: merchant.verifier }, /^fastifyNotifications: handler: /);
      refuses(undefined, /^fastifyNotifications: verifier: /);
    });
  });
});
