// Random and mutated notifications over loopback HTTP to every adapter in its real framework.
// Whatever arrives, each adapter answers 204 (with the handler run once) exactly when the request
// is a genuine notification, and otherwise a 4xx or 5xx FAIL answer without running the handler;
// none crashes, and no promise is left rejected unhandled.
import assert from 'node:assert/strict';
import type { OutgoingHttpHeaders } from 'node:http';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { expressNotifications, fastifyNotifications, fetchNotifications, koaNotifications, type NotificationErrorReporter, type NotificationHandler, type NotificationVerifier } from '../../lib';
import { Sandbox } from '../../lib/sandbox';
import { EXPRESSES, serveExpress, serveFastify, serveHono, serveKoa } from '../support/frameworks';
import { capture, NOTIFY_PATH, order, post, replayHeaders, type Answer, type Captured } from '../support/notification-http';
import { clientVerifier, MAX_BODY_BYTES, type MerchantServer } from '../support/notification-scenarios';

const SIGNATURE_HEADERS = ['wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature', 'wechatpay-serial'] as const;
const RUNS = 200;

/** Header values node's client can send: visible ASCII and inner spaces, no surrounding whitespace. */
const headerValue = fc.stringMatching(/^[!-~]([ -~]{0,40}[!-~])?$/);

type BodyMutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'insert'; at: number; byte: number }
  | { kind: 'delete'; at: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'append'; bytes: Uint8Array }
  | { kind: 'random'; bytes: Uint8Array }
  | { kind: 'other'; index: number }
  | { kind: 'pad'; extra: number };

type HeaderMutation =
  | { kind: 'drop'; header: number }
  | { kind: 'replace'; header: number; value: string }
  | { kind: 'shout'; header: number }
  | { kind: 'extra'; name: string; value: string }
  | { kind: 'content-type'; value: string | undefined };

interface Delivery {
  genuine: number;
  body: BodyMutation[];
  headers: HeaderMutation[];
  chunked: boolean;
}

const bodyMutation: fc.Arbitrary<BodyMutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('random' as const), bytes: fc.uint8Array({ maxLength: 300 }) }),
  fc.record({ kind: fc.constant('other' as const), index: fc.nat() }),
  fc.record({ kind: fc.constant('pad' as const), extra: fc.integer({ min: 1, max: 3 * MAX_BODY_BYTES }) }),
);

const headerMutation: fc.Arbitrary<HeaderMutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), header: fc.nat({ max: 3 }) }),
  fc.record({ kind: fc.constant('replace' as const), header: fc.nat({ max: 3 }), value: headerValue }),
  fc.record({ kind: fc.constant('shout' as const), header: fc.nat({ max: 3 }) }),
  fc.record({ kind: fc.constant('extra' as const), name: fc.stringMatching(/^x-[a-z0-9-]{1,12}$/), value: headerValue }),
  fc.record({ kind: fc.constant('content-type' as const), value: fc.option(fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=gbk'), { nil: undefined }) }),
);

/** A delivery: a genuine notification, most often altered a little, sometimes sent as it is. */
const delivery: fc.Arbitrary<Delivery> = fc.record({
  genuine: fc.nat({ max: 3 }),
  body: fc.oneof({ weight: 1, arbitrary: fc.constant<BodyMutation[]>([]) }, { weight: 3, arbitrary: fc.array(bodyMutation, { minLength: 1, maxLength: 3 }) }),
  headers: fc.oneof({ weight: 1, arbitrary: fc.constant<HeaderMutation[]>([]) }, { weight: 2, arbitrary: fc.array(headerMutation, { minLength: 1, maxLength: 3 }) }),
  chunked: fc.boolean(),
});

function mutateBody(original: Buffer, mutations: readonly BodyMutation[], genuine: readonly Captured[]): Buffer {
  let body = Buffer.from(original);
  for (const mutation of mutations) {
    const at = body.length === 0 ? 0 : ('at' in mutation ? mutation.at : 0) % body.length;
    switch (mutation.kind) {
      case 'flip':
        if (body.length > 0) body[at] ^= 1 << mutation.bit;
        break;
      case 'insert':
        body = Buffer.concat([body.subarray(0, at), Buffer.from([mutation.byte]), body.subarray(at)]);
        break;
      case 'delete':
        body = Buffer.concat([body.subarray(0, at), body.subarray(at + 1)]);
        break;
      case 'truncate':
        body = body.subarray(0, at);
        break;
      case 'append':
        body = Buffer.concat([body, mutation.bytes]);
        break;
      case 'random':
        body = Buffer.from(mutation.bytes);
        break;
      case 'other':
        body = Buffer.from(genuine[mutation.index % genuine.length].body);
        break;
      case 'pad':
        // Past the bound by `extra` bytes at least.
        body = Buffer.concat([body, Buffer.alloc(Math.max(0, MAX_BODY_BYTES - body.length) + mutation.extra, 0x20)]);
        break;
    }
  }
  return body;
}

function mutateHeaders(original: OutgoingHttpHeaders, mutations: readonly HeaderMutation[]): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { ...original };
  for (const mutation of mutations) {
    const target = 'header' in mutation ? Object.keys(headers).find((name) => name.toLowerCase() === SIGNATURE_HEADERS[mutation.header]) : undefined;
    switch (mutation.kind) {
      case 'drop':
        if (target) delete headers[target];
        break;
      case 'replace':
        headers[target ?? SIGNATURE_HEADERS[mutation.header]] = mutation.value;
        break;
      case 'shout':
        if (target) {
          const value = headers[target];
          delete headers[target];
          headers[target.toUpperCase()] = value;
        }
        break;
      case 'extra':
        headers[mutation.name] = mutation.value;
        break;
      case 'content-type':
        for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-type') delete headers[name];
        if (mutation.value !== undefined) headers['Content-Type'] = mutation.value;
        break;
    }
  }
  return headers;
}

/** The oracle: genuine exactly when the body is the original's and its four signature headers are as sent. */
function isGenuine(original: Captured, body: Buffer, headers: OutgoingHttpHeaders): boolean {
  if (!body.equals(original.body)) return false;
  return SIGNATURE_HEADERS.every((name) => {
    const given = Object.entries(headers).filter(([key]) => key.toLowerCase() === name);
    return given.length === 1 && String(given[0][1]) === original.headers[name];
  });
}

/** Each adapter in its framework, mounted as the merchant would. */
const ADAPTERS: Array<{ name: string; start: (verifier: NotificationVerifier, handler: NotificationHandler, onError: NotificationErrorReporter) => Promise<MerchantServer> }> = [
  ...EXPRESSES.map(({ name, express }) => ({
    name,
    start: (verifier: NotificationVerifier, handler: NotificationHandler, onError: NotificationErrorReporter) =>
      serveExpress(express, () => undefined, (app) => app.post(NOTIFY_PATH, expressNotifications(verifier, handler, { onError }))),
  })),
  { name: 'koa 3', start: (verifier, handler, onError) => serveKoa(() => undefined, (app) => app.use(koaNotifications(verifier, handler, { onError, path: NOTIFY_PATH }))) },
  { name: 'fastify 5', start: (verifier, handler, onError) => serveFastify((app) => app.register(fastifyNotifications({ verifier, handler, onError, path: NOTIFY_PATH }))) },
  {
    name: 'Hono (Fetch)',
    start: (verifier, handler, onError) => {
      const notifications = fetchNotifications(verifier, handler, { onError });
      return serveHono((app) => app.post(NOTIFY_PATH, (c) => notifications(c.req.raw)));
    },
  },
];

describe('notification adapters under random and mutated requests', () => {
  let sandbox: Sandbox;
  let genuine: Captured[];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    sandbox = await Sandbox.start({ mode: 'public-key' });
    genuine = await capture(
      sandbox,
      ['FUZZ-1', 'FUZZ-2', 'FUZZ-3', 'FUZZ-4'].map((outTradeNo) => ({ resource: order(outTradeNo) })),
    );
  });
  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await sandbox.close();
  });

  for (const adapter of ADAPTERS) {
    it(`${adapter.name}: 204 and one handler call exactly for genuine notifications, a 4xx/5xx FAIL answer for anything else`, async () => {
      let handled = 0;
      let reported = 0;
      const server = await adapter.start(
        clientVerifier(sandbox),
        () => void (handled += 1),
        () => void (reported += 1),
      );
      try {
        let genuineSent = 0;
        const statuses = new Map<number, number>();
        await fc.assert(
          fc.asyncProperty(delivery, async (case_) => {
            const original = genuine[case_.genuine];
            const body = mutateBody(original.body, case_.body, genuine);
            const headers = mutateHeaders(replayHeaders(original), case_.headers);
            const expected = isGenuine(original, body, headers);
            const before = { handled, reported };
            const answer: Answer = await post(server.url, headers, body, { chunked: case_.chunked });
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            if (expected) {
              genuineSent += 1;
              assert.equal(answer.status, 204, answer.body);
              assert.equal(answer.body, '');
              assert.deepEqual({ handled, reported }, { handled: before.handled + 1, reported: before.reported });
            } else {
              assert.ok(answer.status >= 400 && answer.status < 600, `status ${answer.status}`);
              const fail = JSON.parse(answer.body) as { code: unknown; message: unknown };
              assert.equal(fail.code, 'FAIL');
              assert.equal(typeof fail.message, 'string');
              assert.deepEqual({ handled, reported }, { handled: before.handled, reported: before.reported + 1 });
            }
          }),
          { numRuns: RUNS },
        );
        assert.ok(genuineSent > 10, `genuine notifications were among the ${RUNS} (${genuineSent})`);
        // The cases reach every kind of answer: acknowledged, refused, and refused as too large.
        assert.deepEqual([...statuses.keys()].sort(), [204, 400, 413], JSON.stringify([...statuses]));
      } finally {
        await server.close();
      }
      assert.deepEqual(unhandled, [], 'no unhandled rejection');
    });
  }
});
