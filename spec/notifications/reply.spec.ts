import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { answerNotification, ErrorCode, InvalidOptionError, NotificationVerifier, Wechatpay, type NotificationAnswerInput, type NotificationErrorReporter, type NotificationHandler } from '../../lib';
import { readNodeBody } from '../../lib/notifications/node-body';
import { Sandbox } from '../../lib/sandbox';
import { assertAcknowledged, assertFail, close, listen, order } from '../support/notification-http';
import { Ledger } from '../support/notification-scenarios';

/** node:http with the core alone: what a merchant writes for a framework without an adapter. */
async function serveCore(verifier: NotificationVerifier, handler: NotificationHandler, onError?: NotificationErrorReporter): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    void answerNotification({ verifier, handler, headers: request.headers, body: () => readNodeBody(request, verifier.maxBodyBytes), ...(onError ? { onError } : {}) }).then((reply) =>
      response.writeHead(reply.status, reply.headers).end(reply.body),
    );
  });
  return { url: await listen(server), server };
}

const clientOf = (sandbox: Sandbox) => new Wechatpay({ ...sandbox.clientOptions, apiv3Key: sandbox.apiv3Key });

/** A client that holds no platform certificate yet: its first notification starts a download. */
function clientWithoutCertificates(sandbox: Sandbox, timeout?: number): Wechatpay {
  const options: Partial<Sandbox['clientOptions']> = { ...sandbox.clientOptions };
  delete options.certs;
  return new Wechatpay({ ...(options as Sandbox['clientOptions']), apiv3Key: sandbox.apiv3Key, ...(timeout ? { timeout } : {}) });
}

describe('answerNotification (the core every adapter shares)', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await Sandbox.start({ mode: 'certificate', mchid: '1900000501' });
  });
  after(() => sandbox.close());

  it('answers 204 only once the handler’s promise resolved', async () => {
    const finished: string[] = [];
    const handler: NotificationHandler = async (event) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      finished.push(event.id);
    };
    const { url, server } = await serveCore(new NotificationVerifier({ client: clientOf(sandbox) }), handler);
    try {
      assertAcknowledged(await sandbox.notify(url, { id: 'EV-SLOW-HANDLER', resource: order('SLOW') }));
      assert.deepEqual(finished, ['EV-SLOW-HANDLER']);
    } finally {
      await close(server);
    }
  });

  it('answers 503 when the certificate download the notification needed failed (ApiError), so that the gateway retries', async () => {
    const ledger = new Ledger();
    const verifier = new NotificationVerifier({ client: clientWithoutCertificates(sandbox) });
    const { url, server } = await serveCore(verifier, ledger.handler, ledger.onError);
    try {
      // The first request the sandbox receives is the client's certificate download: it fails.
      sandbox.inject({ type: 'error', status: 500, code: 'SYSTEM_ERROR' });
      assert.match(assertFail(await sandbox.notify(url, { resource: order('DOWNLOAD-FAILS') }), 503), new RegExp(ErrorCode.API_ERROR));
      const { error, failure } = ledger.lastFailure();
      assert.equal((error as { code?: string }).code, ErrorCode.API_ERROR);
      assert.deepEqual(failure, { status: 503, stage: 'verification' });
      assert.deepEqual(ledger.orders(), []);
    } finally {
      await close(server);
    }
  });

  it('answers 503 when that download outlived the client’s timeout (TIMEOUT)', async () => {
    const ledger = new Ledger();
    const verifier = new NotificationVerifier({ client: clientWithoutCertificates(sandbox, 200) });
    const { url, server } = await serveCore(verifier, ledger.handler, ledger.onError);
    try {
      sandbox.inject({ type: 'stall' });
      assert.match(assertFail(await sandbox.notify(url, { resource: order('DOWNLOAD-STALLS') }), 503), new RegExp(ErrorCode.TIMEOUT));
      assert.equal((ledger.lastFailure().error as { code?: string }).code, ErrorCode.TIMEOUT);
    } finally {
      await close(server);
    }
  });

  describe('many merchants at one URL (clients)', () => {
    let first: Sandbox;
    let second: Sandbox;
    before(async () => {
      [first, second] = await Promise.all(['1900000601', '1900000602'].map((mchid) => Sandbox.start({ mode: 'public-key', mchid })));
    });
    after(() => Promise.all([first, second].map((gateway) => gateway.close())));

    it('hands each merchant’s event to the handler, named by event.mchid', async () => {
      const ledger = new Ledger();
      const { url, server } = await serveCore(new NotificationVerifier({ clients: [clientOf(first), clientOf(second)] }), ledger.handler, ledger.onError);
      try {
        assertAcknowledged(await first.notify(url, { resource: order('FIRST') }));
        assertAcknowledged(await second.notify(url, { resource: order('SECOND') }));
        assert.deepEqual(
          ledger.events.map((event) => event.mchid),
          ['1900000601', '1900000602'],
        );
      } finally {
        await close(server);
      }
    });

    it('answers 500 when a merchant’s platform keys verify but its APIv3 key does not decrypt (our configuration), 400 when no merchant’s keys verify', async () => {
      const ledger = new Ledger();
      const misconfigured = new Wechatpay({ ...first.clientOptions, apiv3Key: 'k'.repeat(32) });
      const { url, server } = await serveCore(new NotificationVerifier({ clients: [misconfigured, clientOf(second)] }), ledger.handler, ledger.onError);
      try {
        assert.match(assertFail(await first.notify(url, { resource: order('WRONG-KEY') }), 500), new RegExp(ErrorCode.UNKNOWN_MERCHANT));
        assert.equal((ledger.lastFailure().error as { code?: string }).code, ErrorCode.UNKNOWN_MERCHANT);
        const stranger = await Sandbox.start({ mode: 'public-key', mchid: '1900000699' });
        try {
          assert.match(assertFail(await stranger.notify(url, { resource: order('STRANGER') }), 400), new RegExp(ErrorCode.UNKNOWN_MERCHANT));
        } finally {
          await stranger.close();
        }
        assert.deepEqual(ledger.orders(), []);
      } finally {
        await close(server);
      }
    });
  });

  describe('reporting', () => {
    it('reports through console.error by default: one line with the status, the stage and the code', async () => {
      const lines: unknown[][] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => void lines.push(args);
      try {
        const verifier = new NotificationVerifier({ client: clientOf(sandbox) });
        const { url, server } = await serveCore(verifier, () => undefined);
        try {
          assertFail(await sandbox.notify(url, { resource: order('DEFAULT-REPORT') }, { type: 'tampered-body' }), 400);
        } finally {
          await close(server);
        }
      } finally {
        console.error = original;
      }
      assert.equal(lines.length, 1);
      assert.equal(lines[0].length, 1);
      assert.match(String(lines[0][0]), /^wechatpay-ts: notification answered 400 \(verification\) ERR_WECHATPAY_BAD_SIGNATURE: notification: /);
    });

    it('still answers when onError itself throws, and says so on the console', async () => {
      const lines: unknown[][] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => void lines.push(args);
      try {
        const verifier = new NotificationVerifier({ client: clientOf(sandbox) });
        const { url, server } = await serveCore(verifier, () => undefined, () => {
          throw new Error('reporter down');
        });
        try {
          assertFail(await sandbox.notify(url, { resource: order('REPORTER-THROWS') }, { type: 'signature-probe' }), 400);
        } finally {
          await close(server);
        }
      } finally {
        console.error = original;
      }
      assert.equal(lines.length, 1);
      assert.match(String(lines[0][0]), /onError reporter threw/);
      assert.equal((lines[0][1] as Error).message, 'reporter down');
    });
  });

  it('rejects unusable arguments with an InvalidOptionError naming the one at fault', async () => {
    const verifier = new NotificationVerifier({ client: clientOf(sandbox) });
    const good: NotificationAnswerInput = { verifier, handler: () => undefined, headers: {}, body: () => '' };
    const refused = async (input: unknown, pattern: RegExp) => {
      const error = await answerNotification(input as NotificationAnswerInput).catch((e: unknown) => e);
      assert.ok(error instanceof InvalidOptionError && pattern.test(error.message), String(error));
    };
    await refused({ ...good, verifier: {} }, /^answerNotification: verifier: /);
    await refused({ ...good, handler: undefined }, /^answerNotification: handler: /);
    await refused({ ...good, onError: 'log' }, /^answerNotification: onError: /);
    await refused({ ...good, body: Buffer.from('{}') }, /^answerNotification: body: /);
    await refused(undefined, /^answerNotification: verifier: /);
  });
});
