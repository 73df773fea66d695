import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ErrorCode, NotificationVerifier, Wechatpay, WechatpayError, type NotificationEvent } from '../../lib';
import { Sandbox } from '../../lib/sandbox';
import { capture } from '../support/notification-http';

const TRANSACTION = { mchid: '', out_trade_no: 'ORDER-ROTATE-1', transaction_id: '4200000000202611280000000001', trade_state: 'SUCCESS', amount: { total: 1, currency: 'CNY' } };

/** What the merchant's server made of one notification: the event, or the error's code. */
type Outcome = { event: NotificationEvent } | { code: string };

/**
 * A merchant server on loopback that verifies every notification with the verifier of the moment,
 * answering 204 or 400 as the gateway expects, and keeps what it made of each.
 */
class Inbox {
  verifier?: NotificationVerifier;
  readonly outcomes: Outcome[] = [];
  readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      this.verifier!.verify({ headers: request.headers, body: Buffer.concat(chunks) }).then(
        (event) => {
          this.outcomes.push({ event });
          response.writeHead(204).end();
        },
        (error: unknown) => {
          this.outcomes.push({ code: error instanceof WechatpayError ? error.code : String(error) });
          response.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ code: 'FAIL', message: 'rejected' }));
        },
      );
    });
  });

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/notify`;
  }

  /** Has `sandbox` notify a payment of merchant `mchid`; resolves with what the inbox made of it. */
  async deliver(sandbox: Sandbox, outTradeNo = TRANSACTION.out_trade_no): Promise<Outcome> {
    const answer = await sandbox.notify(this.url, { resource: { ...TRANSACTION, mchid: sandbox.clientOptions.mchid, out_trade_no: outTradeNo } });
    const outcome = this.outcomes.shift();
    assert.ok(outcome, 'the inbox answered');
    assert.equal(answer.status, 'event' in outcome ? 204 : 400);
    return outcome;
  }
}

/** The merchant order number of a payment notification (direct or partner), or undefined for another event. */
function outTradeNo(event: NotificationEvent): string | undefined {
  return event.event_type === 'TRANSACTION.SUCCESS' && 'out_trade_no' in event.resource ? event.resource.out_trade_no : undefined;
}

/** The event of an outcome; fails with the refusal's code otherwise. */
function eventOf(outcome: Outcome): NotificationEvent {
  if ('code' in outcome) return assert.fail(`the notification was refused: ${outcome.code}`);
  return outcome.event;
}

/** The code of a refusal; fails if the notification was accepted. */
function codeOf(outcome: Outcome): string {
  if ('event' in outcome) return assert.fail(`the notification was accepted: ${JSON.stringify(outcome.event)}`);
  return outcome.code;
}

/** How many certificate downloads `sandbox` served. */
function downloads(sandbox: Sandbox): number {
  return sandbox.requests.filter((request) => request.target.startsWith('/v3/certificates')).length;
}

describe('NotificationVerifier over clients', () => {
  const inbox = new Inbox();
  before(() => new Promise<void>((resolve) => inbox.server.listen(0, '127.0.0.1', resolve)));
  after(() => {
    inbox.server.closeAllConnections();
    inbox.server.close();
  });

  describe('one client (`client`)', () => {
    let sandbox: Sandbox;
    before(async () => {
      sandbox = await Sandbox.start({ mode: 'certificate', mchid: '1900000301' });
    });
    after(() => sandbox.close());

    it('verifies with the client’s keys; after a rotation the next notification refreshes the client’s certificates and verifies', async () => {
      const wxpay = new Wechatpay({ ...sandbox.clientOptions, apiv3Key: sandbox.apiv3Key });
      inbox.verifier = new NotificationVerifier({ client: wxpay });
      const first = eventOf(await inbox.deliver(sandbox, 'BEFORE-ROTATION'));
      assert.equal(first.mchid, '1900000301', 'the event names the merchant whose keys accepted it');
      assert.equal(outTradeNo(first), 'BEFORE-ROTATION');
      assert.equal(downloads(sandbox), 0, 'the certificate the client was given sufficed');

      await sandbox.rotateCertificate();
      const after = eventOf(await inbox.deliver(sandbox, 'AFTER-ROTATION'));
      assert.equal(outTradeNo(after), 'AFTER-ROTATION');
      assert.equal(downloads(sandbox), 1, 'one download taught the client the new certificate');

      // The client itself now verifies answers signed with the new certificate, without another download.
      sandbox.route({ method: 'GET', path: '/v3/ping', handle: () => ({ json: { ok: true } }) });
      assert.deepEqual((await wxpay.chain('v3/ping').get()).data, { ok: true });
      assert.equal(downloads(sandbox), 1);
    });

    it('sees the certificates the client learnt from an answer (no download of its own)', async () => {
      const wxpay = new Wechatpay({ ...sandbox.clientOptions, apiv3Key: sandbox.apiv3Key });
      inbox.verifier = new NotificationVerifier({ client: wxpay });
      await sandbox.rotateCertificate();
      sandbox.route({ method: 'GET', path: '/v3/ping', handle: () => ({ json: { ok: true } }) });
      const before = downloads(sandbox);
      await wxpay.chain('v3/ping').get();
      assert.equal(downloads(sandbox), before + 1, 'the answer’s unknown serial made the client download');
      eventOf(await inbox.deliver(sandbox));
      assert.equal(downloads(sandbox), before + 1, 'the verifier used the keyring the client had just filled');
    });

    it('starts from no certificates at all when the client has only its APIv3 key', async () => {
      const { certs, ...withoutCerts } = sandbox.clientOptions;
      assert.ok(Object.keys(certs).length > 0);
      const before = downloads(sandbox);
      inbox.verifier = new NotificationVerifier({ client: new Wechatpay({ ...withoutCerts, apiv3Key: sandbox.apiv3Key }) });
      eventOf(await inbox.deliver(sandbox));
      assert.equal(downloads(sandbox), before + 1);
    });

    it('starts at most one download per few seconds for unknown serials; the others are refused as unknown', async () => {
      const { certs, ...withoutCerts } = sandbox.clientOptions;
      void certs;
      const wxpay = new Wechatpay({ ...withoutCerts, apiv3Key: sandbox.apiv3Key });
      inbox.verifier = new NotificationVerifier({ client: wxpay });
      const before = downloads(sandbox);
      eventOf(await inbox.deliver(sandbox));
      await sandbox.rotateCertificate();
      // Within UNKNOWN_SERIAL_INTERVAL_MS of the first download: no second one; the gateway will retry.
      assert.equal(codeOf(await inbox.deliver(sandbox)), ErrorCode.UNKNOWN_SERIAL);
      assert.equal(codeOf(await inbox.deliver(sandbox)), ErrorCode.UNKNOWN_SERIAL);
      assert.equal(downloads(sandbox), before + 1);
    });

    it('takes the APIv3 key from the options when the client has none', async () => {
      const wxpay = new Wechatpay(sandbox.clientOptions);
      assert.throws(() => new NotificationVerifier({ client: wxpay }), (error: WechatpayError) => error.code === ErrorCode.INVALID_OPTION && /client: .*has no apiv3Key/.test(error.message));
      inbox.verifier = new NotificationVerifier({ client: wxpay, apiv3Key: sandbox.apiv3Key });
      eventOf(await inbox.deliver(sandbox));
    });

    it('answers through a callback too, once and asynchronously', async () => {
      const delivered = await capture(sandbox, [{ resource: TRANSACTION }]);
      const verifier = new NotificationVerifier({ client: new Wechatpay({ ...sandbox.clientOptions, apiv3Key: sandbox.apiv3Key }) });
      let synchronous = true;
      const calls = await new Promise<unknown[][]>((resolve) => {
        const seen: unknown[][] = [];
        verifier.verify(delivered[0], (...args) => {
          seen.push(args);
          setTimeout(() => resolve(seen), 20);
        });
        synchronous = false;
      });
      assert.equal(synchronous, false);
      assert.equal(calls.length, 1);
      assert.equal(calls[0][0], null);
      assert.equal((calls[0][1] as NotificationEvent).mchid, '1900000301');
      const refused = await new Promise<unknown>((resolve) => verifier.verify({ headers: {}, body: delivered[0].body }, resolve));
      assert.ok(refused instanceof WechatpayError && refused.code === ErrorCode.INCOMPLETE_HEADERS);
    });
  });

  describe('many merchants at one URL (`clients`)', () => {
    // Public-key mode: each gateway signs with its own merchant's WeChat Pay public key, under its
    // own PUB_KEY_ID_…; a stranger's names a key no merchant holds, which no download can bring.
    let first: Sandbox;
    let second: Sandbox;
    let stranger: Sandbox;
    before(async () => {
      [first, second, stranger] = await Promise.all(['1900000401', '1900000402', '1900000403'].map((mchid) => Sandbox.start({ mode: 'public-key', mchid })));
    });
    after(() => Promise.all([first, second, stranger].map((sandbox) => sandbox.close())));

    const clientOf = (sandbox: Sandbox) => new Wechatpay({ ...sandbox.clientOptions, apiv3Key: sandbox.apiv3Key });

    it('tells the merchants apart and names the one whose keys accepted each notification', async () => {
      inbox.verifier = new NotificationVerifier({ clients: [clientOf(first), clientOf(second)] });
      assert.equal(eventOf(await inbox.deliver(first)).mchid, '1900000401');
      assert.equal(eventOf(await inbox.deliver(second)).mchid, '1900000402');
      assert.equal(eventOf(await inbox.deliver(first)).mchid, '1900000401');
    });

    it('refuses a notification no merchant’s keys accept, with UNKNOWN_MERCHANT and each merchant’s reason', async () => {
      inbox.verifier = new NotificationVerifier({ clients: [clientOf(first), clientOf(second)] });
      assert.equal(codeOf(await inbox.deliver(stranger)), ErrorCode.UNKNOWN_MERCHANT);
      const error = await inbox.verifier.verify({ headers: {}, body: '{}' }).catch((e: unknown) => e);
      assert.ok(error instanceof WechatpayError && error.code === ErrorCode.INCOMPLETE_HEADERS, 'a failure that does not depend on the keys keeps its own code');
    });

    it('picks the merchant by APIv3 key when two share the platform keys', async () => {
      // A client with the first merchant's platform keys but another APIv3 key, listed first: its
      // signature check passes, its decryption does not, and the second candidate is the one.
      const impostor = new Wechatpay({ ...first.clientOptions, mchid: '1900000499', apiv3Key: 'k'.repeat(32) });
      inbox.verifier = new NotificationVerifier({ clients: [impostor, clientOf(first)] });
      assert.equal(eventOf(await inbox.deliver(first)).mchid, '1900000401');
      inbox.verifier = new NotificationVerifier({ clients: [impostor, clientOf(second)] });
      const refused = codeOf(await inbox.deliver(first));
      assert.equal(refused, ErrorCode.UNKNOWN_MERCHANT);
    });

    it('refuses unusable options, naming the option', () => {
      const refuses = (options: unknown, pattern: RegExp) =>
        assert.throws(() => new NotificationVerifier(options as never), (error: WechatpayError) => error.code === ErrorCode.INVALID_OPTION && pattern.test(error.message), String(pattern));
      refuses({ clients: [] }, /clients: expected a non-empty array/);
      refuses({ clients: [clientOf(first), {}] }, /clients\[1\]: expected a Wechatpay client/);
      refuses({ clients: [new Wechatpay(first.clientOptions)] }, /clients\[0\]: .*has no apiv3Key/);
      refuses({ clients: [clientOf(first)], apiv3Key: first.apiv3Key }, /apiv3Key: give each client its own/);
      refuses({ client: clientOf(first), certs: first.clientOptions.certs }, /exactly one of certs, client or clients, got certs and client/);
      refuses({ client: new Wechatpay({ mchid: '1900000401', secret: 'x'.repeat(32) }) }, /client: expected a Wechatpay client with APIv3 options/);
      refuses({}, /exactly one of certs, client or clients, got none/);
      // A misspelt limit would otherwise leave the default in force.
      refuses({ client: clientOf(first), maxBodyByte: 4096 }, /^NotificationVerifier: maxBodyByte: unknown; the options are certs, apiv3Key, client, clients, maxBodyBytes and now$/);
    });
  });
});
