// The courier retries a notification as the gateway does, over real HTTP to loopback servers
// whose answers are scripted: until a 200 or 204, waiting as the schedule says, then giving up;
// and stops at once when cancelled.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { NotificationVerifier } from '../../lib';
import { sandboxKeys, type Keys } from '../../lib/sandbox/keys';
import { GATEWAY_NOTIFY_SCHEDULE_MS, NotificationCourier, SANDBOX_NOTIFY_SCHEDULE_MS, type CourierOptions } from '../../lib/sandbox/notification-courier';
import { postNotification } from '../../lib/sandbox/notifications';
import { close, listen } from '../support/notification-http';
import { scriptedServer } from '../support/scripted-server';

const EVENT = { event_type: 'TRANSACTION.SUCCESS', resource: { out_trade_no: 'T-COURIER-1', trade_state: 'SUCCESS' } };

describe('the notification courier', () => {
  let keys: Keys;
  const courierWith = (options: CourierOptions) => new NotificationCourier((url, event, signal) => postNotification(url, event, { apiv3Key: keys.apiv3Key, key: keys.platformCertificate, signal }), options);
  before(async () => (keys = await sandboxKeys('1900000001')));

  it('spaces its attempts as the gateway does, 24 h 4 min in all, and the sandbox a thousand times faster', () => {
    assert.deepEqual(GATEWAY_NOTIFY_SCHEDULE_MS.slice(0, 4), [15_000, 15_000, 30_000, 180_000]);
    assert.equal(GATEWAY_NOTIFY_SCHEDULE_MS.reduce((sum, ms) => sum + ms, 0), (24 * 60 + 4) * 60_000);
    assert.deepEqual(SANDBOX_NOTIFY_SCHEDULE_MS, GATEWAY_NOTIFY_SCHEDULE_MS.map((ms) => ms / 1000));
  });

  it('retries a server that answers 500 twice, waiting as scheduled, until its 204; the same notification each time, signed afresh', async () => {
    const server = await scriptedServer([500, 500, 204]);
    after(() => server.close());
    const outcome = await courierWith({ schedule: [40, 80, 160] }).deliver(server.url, EVENT);
    assert.deepEqual({ ...outcome, history: outcome.history.map(({ status }) => status) }, { acknowledged: true, attempts: 3, status: 204, error: undefined, cancelled: false, history: [500, 500, 204] });
    const [first, second, third] = server.arrivals;
    assert.ok(second.at - first.at >= 40, `the second attempt came ${second.at - first.at} ms after the first`);
    assert.ok(third.at - second.at >= 80, `the third attempt came ${third.at - second.at} ms after the second`);
    const verifier = new NotificationVerifier({ certs: { [keys.platformCertificate.id]: keys.platformCertificate.certificatePem ?? '' }, apiv3Key: keys.apiv3Key });
    const events = await Promise.all(server.arrivals.map(({ headers, body }) => verifier.verify({ headers, body })));
    assert.equal(new Set(events.map((event) => event.id)).size, 1, 'one notification id');
    assert.equal(new Set(events.map((event) => event.create_time)).size, 1, 'one create_time');
    assert.equal(new Set(server.arrivals.map(({ headers }) => headers['wechatpay-nonce'])).size, 3, 'each attempt signed anew');
    assert.deepEqual(events[2].resource, EVENT.resource);
  });

  it('takes 200 as an acknowledgement too', async () => {
    const server = await scriptedServer([200]);
    after(() => server.close());
    const outcome = await courierWith({ schedule: [5] }).deliver(server.url, EVENT);
    assert.deepEqual([outcome.acknowledged, outcome.attempts], [true, 1]);
  });

  it('gives up after the last scheduled attempt, with the last status', async () => {
    const server = await scriptedServer([500, 503, 404]);
    after(() => server.close());
    const outcome = await courierWith({ schedule: [5, 5] }).deliver(server.url, EVENT);
    assert.deepEqual([outcome.acknowledged, outcome.attempts, outcome.status, outcome.cancelled], [false, 3, 404, false]);
  });

  it('counts a refused connection and an answer later than its patience as failed attempts', async () => {
    const gone = createServer();
    const goneUrl = await listen(gone);
    await close(gone);
    const refused = await courierWith({ schedule: [5] }).deliver(goneUrl, EVENT);
    assert.deepEqual([refused.acknowledged, refused.attempts, refused.status], [false, 2, undefined]);
    assert.match(refused.error ?? '', /ECONNREFUSED/);
    const slow = await scriptedServer([204], { delayMs: 300 });
    after(() => slow.close());
    const late = await courierWith({ schedule: [], answerTimeoutMs: 50 }).deliver(slow.url, EVENT);
    assert.deepEqual([late.acknowledged, late.attempts, late.error], [false, 1, 'no answer within 50 ms']);
  });

  it('stops every delivery under way when cancelled: no more attempts, the promise settles as cancelled', async () => {
    const server = await scriptedServer([500]);
    after(() => server.close());
    const courier = courierWith({ schedule: [60_000] });
    const delivery = courier.deliver(server.url, EVENT);
    await server.answered(1); // the 500 is back: the courier waits its minute
    courier.cancel();
    const outcome = await delivery;
    assert.deepEqual([outcome.acknowledged, outcome.attempts, outcome.status, outcome.cancelled], [false, 1, 500, true]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(server.arrivals.length, 1);
  });

  it('abandons the attempt in flight when cancelled', async () => {
    const server = await scriptedServer([204], { delayMs: 5_000 });
    after(() => server.close());
    const courier = courierWith({});
    const delivery = courier.deliver(server.url, EVENT);
    await server.arrived(1);
    courier.cancel();
    const outcome = await delivery;
    assert.deepEqual([outcome.acknowledged, outcome.attempts, outcome.status, outcome.error, outcome.cancelled], [false, 1, undefined, 'the sandbox closed', true]);
  });
});
