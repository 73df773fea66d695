// The scenarios every notification adapter must pass, each against its real framework on
// loopback, with the sandbox sending genuinely signed notifications (and spoiled ones).
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, it } from 'node:test';
import { ErrorCode, InvalidArgumentError, NotificationVerifier, Wechatpay, WechatpayError, type NotificationErrorReporter, type NotificationEvent, type NotificationFailure, type NotificationHandler } from '../../lib';
import { Sandbox, type Fault } from '../../lib/sandbox';
import { assertAcknowledged, assertFail, capture, order, post, postOversized, replayHeaders } from './notification-http';

/** A merchant server under test. */
export interface MerchantServer {
  url: string;
  close(): Promise<void>;
}

/** Starts a merchant server whose notification route is the adapter under test. */
export type StartServer = (verifier: NotificationVerifier, handler: NotificationHandler, onError: NotificationErrorReporter) => Promise<MerchantServer>;

/** The transaction of a direct or partner payment notification; undefined for any other event (a combined order included). */
function paymentOf(event: NotificationEvent) {
  return event.event_type === 'TRANSACTION.SUCCESS' && 'out_trade_no' in event.resource ? event.resource : undefined;
}

/** The words a failing handler throws with: they must never reach the answer. */
export const HANDLER_SECRET = 'database down (password=hunter2)';

/** What the merchant's handler and onError saw. */
export class Ledger {
  readonly events: NotificationEvent[] = [];
  readonly failures: Array<{ error: unknown; failure: NotificationFailure }> = [];

  /** Keeps each event; throws for orders whose number starts with THROW, as a handler whose database is down. */
  readonly handler: NotificationHandler = async (event) => {
    await Promise.resolve();
    if (paymentOf(event)?.out_trade_no.startsWith('THROW')) throw new Error(HANDLER_SECRET);
    this.events.push(event);
  };

  readonly onError: NotificationErrorReporter = (error, failure) => {
    this.failures.push({ error, failure });
  };

  /** The orders the handler acted on. */
  orders(): string[] {
    return this.events.map((event) => paymentOf(event)?.out_trade_no ?? event.event_type);
  }

  /** The last failure reported; fails when none was. */
  lastFailure(): { error: unknown; failure: NotificationFailure } {
    const last = this.failures.at(-1);
    assert.ok(last, 'onError was called');
    return last;
  }
}

/** The largest body the verifiers of the scenarios accept: a notification is about 700 bytes. */
export const MAX_BODY_BYTES = 4096;

/** A verifier over the merchant's client, as merchants write it, with a small body bound. */
export function clientVerifier(sandbox: Sandbox): NotificationVerifier {
  return new NotificationVerifier({ client: new Wechatpay({ ...sandbox.clientOptions, apiv3Key: sandbox.apiv3Key }), maxBodyBytes: MAX_BODY_BYTES });
}

/** A merchant's sandbox gateway and a verifier over its client, for the tests of one suite. */
export interface VerifiedMerchant {
  sandbox: Sandbox;
  verifier: NotificationVerifier;
}

/** Starts a public-key sandbox and its {@link clientVerifier} before the suite's tests, and closes the sandbox after them. */
export function merchantWithVerifier(): VerifiedMerchant {
  const merchant = {} as VerifiedMerchant;
  before(async () => {
    merchant.sandbox = await Sandbox.start({ mode: 'public-key' });
    merchant.verifier = clientVerifier(merchant.sandbox);
  });
  after(() => merchant.sandbox.close());
  return merchant;
}

/**
 * Registers the shared scenarios, each test against the server `start` makes. `parserInFront`: a
 * body parser reads every body before the adapter (NestJS): bodies it refuses itself never reach
 * the adapter, so the streamed oversize cases are left out; a whole body over the bound still is.
 */
export function adapterScenarios(start: StartServer, { parserInFront = false } = {}): void {
  let sandbox: Sandbox;
  let server: MerchantServer;
  const ledger = new Ledger();
  before(async () => {
    sandbox = await Sandbox.start({ mode: 'public-key', mchid: '1900000109' });
    server = await start(clientVerifier(sandbox), ledger.handler, ledger.onError);
  });
  after(async () => {
    await server.close();
    await sandbox.close();
  });

  /** Asserts that the last failure reported has this status, stage and code. */
  const reported = (status: number, stage: NotificationFailure['stage'], code?: string): unknown => {
    const { error, failure } = ledger.lastFailure();
    assert.equal(failure.status, status);
    assert.equal(failure.stage, stage);
    if (code !== undefined) assert.equal((error as WechatpayError).code, code);
    return error;
  };

  it('acknowledges a genuine notification with 204 once the handler has the typed, verified event', async () => {
    const failures = ledger.failures.length;
    assertAcknowledged(await sandbox.notify(server.url, { resource: order('GENUINE-1') }));
    const event = ledger.events.at(-1);
    const payment = event && paymentOf(event);
    assert.ok(payment);
    assert.equal(payment.out_trade_no, 'GENUINE-1');
    assert.equal(payment.trade_state, 'SUCCESS');
    assert.equal(event.mchid, '1900000109');
    assert.equal(ledger.failures.length, failures, 'nothing reported');
  });

  const spoilers: Array<[Fault, ErrorCode]> = [
    [{ type: 'tampered-body' }, ErrorCode.BAD_SIGNATURE],
    [{ type: 'signature-probe' }, ErrorCode.SIGNATURE_PROBE],
    [{ type: 'stale-timestamp', seconds: 3600 }, ErrorCode.CLOCK_SKEW],
    [{ type: 'missing-headers', headers: ['Wechatpay-Signature'] }, ErrorCode.INCOMPLETE_HEADERS],
  ];
  for (const [fault, code] of spoilers) {
    it(`refuses a notification spoiled by ${fault.type} with 400 FAIL naming ${code}; the handler never runs`, async () => {
      const message = assertFail(await sandbox.notify(server.url, { resource: order(`SPOILED-${fault.type}`) }, fault), 400);
      assert.match(message, new RegExp(code));
      assert.ok(!ledger.orders().includes(`SPOILED-${fault.type}`));
      reported(400, 'verification', code);
    });
  }

  it('answers 500 when the handler throws, so that the gateway retries; the answer holds none of its words', async () => {
    const answer = await sandbox.notify(server.url, { resource: order('THROW-1') });
    const message = assertFail(answer, 500);
    assert.doesNotMatch(answer.body, /hunter2|database/);
    assert.match(message, /not processed/);
    const error = reported(500, 'handler');
    assert.equal((error as Error).message, HANDLER_SECRET, 'onError has the handler’s own error');
    const { failure } = ledger.lastFailure();
    assert.ok(failure.event && paymentOf(failure.event)?.out_trade_no === 'THROW-1', 'and the event it failed on');
  });

  it('answers 500 when the resource does not decrypt under our APIv3 key (our configuration is at fault)', async () => {
    assert.match(assertFail(await sandbox.notify(server.url, { resource: order('WRONG-KEY') }, { type: 'wrong-apiv3-key' }), 500), new RegExp(ErrorCode.DECRYPTION_FAILED));
    assert.ok(!ledger.orders().includes('WRONG-KEY'));
    reported(500, 'verification', ErrorCode.DECRYPTION_FAILED);
  });

  it('answers 413 to a whole body over maxBodyBytes, without verifying it', async () => {
    const notification = (await capture(sandbox, [{ resource: order('OVERSIZED') }]))[0];
    const padded = Buffer.concat([notification.body, Buffer.alloc(MAX_BODY_BYTES, 0x20)]);
    assertFail(await post(server.url, replayHeaders(notification), padded), 413);
    reported(413, 'body', ErrorCode.INVALID_ARGUMENT);
    assert.ok(!ledger.orders().includes('OVERSIZED'));
  });

  if (!parserInFront) {
    it('answers 413 to a body whose Content-Length passes maxBodyBytes, before the body is sent', async () => {
      const answer = await postOversized(server.url, { announce: true, declared: 1024 * 1024, sent: 64 * 1024 });
      assert.match(assertFail(answer, 413), new RegExp(ErrorCode.INVALID_ARGUMENT));
      assert.ok(answer.sentBeforeAnswer < 1024 * 1024, 'answered before the body was sent');
      const error = reported(413, 'body', ErrorCode.INVALID_ARGUMENT);
      assert.ok(error instanceof InvalidArgumentError);
      assert.match(error.message, new RegExp(`maxBodyBytes ${MAX_BODY_BYTES}`));
    });

    it('answers 413 to a chunked body as soon as it passes maxBodyBytes, without reading the rest', async () => {
      const answer = await postOversized(server.url, { announce: false, declared: 0, sent: 256 * 1024 });
      assertFail(answer, 413);
      assert.ok(answer.sentBeforeAnswer < 256 * 1024, `answered after ${answer.sentBeforeAnswer} bytes, before the body ended`);
      reported(413, 'body', ErrorCode.INVALID_ARGUMENT);
    });
  }

  it('survives a client that goes away mid-body: no unhandled rejection, any report a 400 at the body, and the next notification is served', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const failures = ledger.failures.length;
      await new Promise<void>((resolve) => {
        const outgoing = httpRequest(server.url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': '2000' } });
        outgoing.on('error', () => resolve());
        outgoing.write('{"id":"EV-ABORTED",', () => setTimeout(() => outgoing.destroy(), 20));
        outgoing.on('close', () => resolve());
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const { failure } of ledger.failures.slice(failures)) assert.deepEqual([failure.status, failure.stage], [400, 'body']);
      assertAcknowledged(await sandbox.notify(server.url, { resource: order('AFTER-ABORT') }));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('refuses an empty body, and a body that is not a notification, with 400', async () => {
    assertFail(await post(server.url, { 'Content-Type': 'application/json' }, ''), 400);
    const error = reported(400, 'verification', ErrorCode.INVALID_ARGUMENT);
    assert.ok(error instanceof WechatpayError);
    assertFail(await post(server.url, { 'Content-Type': 'application/json' }, '{"hello":"world"}'), 400);
    reported(400, 'verification', ErrorCode.INCOMPLETE_HEADERS);
  });
}
