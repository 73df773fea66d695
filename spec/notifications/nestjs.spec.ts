// The NestJS recipe (documented in docs/guide/callbacks.md), run: an app made with
// `rawBody: true`, whose controller hands the request to expressNotifications. NestJS 12 is
// published as ES modules only, so it is loaded with import(); its decorators are applied by
// calling them, as this project compiles without experimentalDecorators.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { BodyConsumedError, ErrorCode, expressNotifications, type ExpressLikeRequest, type NotificationErrorReporter, type NotificationHandler, type NotificationVerifier } from '../../lib';
import { Sandbox } from '../../lib/sandbox';
import { assertFail, NOTIFY_PATH, order } from '../support/notification-http';
import { adapterScenarios, clientVerifier, Ledger, type MerchantServer } from '../support/notification-scenarios';

/** Starts a NestJS app whose one controller serves NOTIFY_PATH through the express adapter. */
async function serveNest(verifier: NotificationVerifier, handler: NotificationHandler, onError: NotificationErrorReporter, { rawBody }: { rawBody: boolean }): Promise<MerchantServer> {
  const { NestFactory } = await import('@nestjs/core');
  const { Controller, Module, Next, Post, Req, Res } = await import('@nestjs/common');
  const notifications = expressNotifications(verifier, handler, { onError });

  class NotifyController {
    notify(request: ExpressLikeRequest, response: ServerResponse, next: (error?: unknown) => void): void {
      notifications(request, response, next);
    }
  }
  // @Controller('wechatpay') with @Post('notify') notify(@Req() req, @Res() res, @Next() next)
  Controller(NOTIFY_PATH.split('/')[1])(NotifyController);
  Post(NOTIFY_PATH.split('/')[2])(NotifyController.prototype, 'notify', Object.getOwnPropertyDescriptor(NotifyController.prototype, 'notify')!);
  Req()(NotifyController.prototype, 'notify', 0);
  Res()(NotifyController.prototype, 'notify', 1);
  Next()(NotifyController.prototype, 'notify', 2);
  class NotifyModule {}
  Module({ controllers: [NotifyController] })(NotifyModule);

  const app = await NestFactory.create(NotifyModule, { rawBody, logger: false });
  await app.listen(0, '127.0.0.1');
  return { url: `${await app.getUrl()}${NOTIFY_PATH}`, close: () => app.close() };
}

describe('the NestJS recipe: rawBody: true and a controller calling expressNotifications', () => {
  describe('the shared scenarios (NestJS parses JSON in front of every route)', () => {
    adapterScenarios((verifier, handler, onError) => serveNest(verifier, handler, onError, { rawBody: true }), { parserInFront: true });
  });

  describe('without rawBody: true', () => {
    let sandbox: Sandbox;
    before(async () => {
      sandbox = await Sandbox.start({ mode: 'public-key' });
    });
    after(() => sandbox.close());

    it('the trap: NestJS’s JSON parser consumed the body, so 500 (the gateway retries) and BODY_CONSUMED names rawBody: true', async () => {
      const ledger = new Ledger();
      const server = await serveNest(clientVerifier(sandbox), ledger.handler, ledger.onError, { rawBody: false });
      try {
        assert.match(assertFail(await sandbox.notify(server.url, { resource: order('NEST-TRAPPED') }), 500), new RegExp(ErrorCode.BODY_CONSUMED));
        const { error } = ledger.lastFailure();
        assert.ok(error instanceof BodyConsumedError);
        assert.match(error.message, /rawBody: true/);
        assert.deepEqual(ledger.orders(), []);
      } finally {
        await server.close();
      }
    });
  });
});
