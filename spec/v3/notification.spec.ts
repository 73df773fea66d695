import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes, sign } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { DecryptionError, ErrorCode, NotificationVerifier, OptionError, VerificationError, WechatpayError, type NotificationEvent, type NotificationRequest } from '../../lib';
import { Sandbox, type Fault, type Identity } from '../../lib/sandbox';

/** A fixed instant for the clock-injected checks: this run's start, inside the sandbox certificates' validity. */
const AT_SECONDS = Math.floor(Date.now() / 1000);
const AT_MS = AT_SECONDS * 1000;

/** A notification as the merchant's server received it, byte for byte, and when. */
interface Delivery {
  headers: IncomingHttpHeaders;
  body: Buffer;
  receivedAt: number;
}

const TRANSACTION = {
  mchid: '1900000001',
  appid: 'wxd678efh567hg6787',
  out_trade_no: 'ORDER-20260101-0001',
  transaction_id: '4200000000202601010000000001',
  trade_type: 'JSAPI',
  trade_state: 'SUCCESS',
  trade_state_desc: '支付成功',
  success_time: '2026-01-01T12:00:00+08:00',
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  amount: { total: 100, payer_total: 100, currency: 'CNY', payer_currency: 'CNY' },
};

const ALL_CODES: readonly string[] = Object.values(ErrorCode);

/** The decrypted resource as plain fields: these specs check what was decrypted, not how it is typed. */
function fieldsOf(event: NotificationEvent): Record<string, unknown> {
  return event.resource as Record<string, unknown>;
}

/** Runs `verify` and returns the WechatpayError it threw or rejected with; fails if it resolved or failed otherwise. */
async function rejection(verify: () => unknown): Promise<WechatpayError> {
  let outcome: unknown;
  try {
    outcome = await verify();
  } catch (error) {
    assert.ok(error instanceof WechatpayError, `expected a WechatpayError, got ${inspect(error)}`);
    assert.ok(ALL_CODES.includes(error.code), `unexpected code ${String(error.code)}`);
    return error;
  }
  return assert.fail(`an unverifiable notification was returned: ${JSON.stringify(outcome)}`);
}

/** A verifier for `sandbox`'s keys whose clock reads `nowMs`. */
function verifierOf(sandbox: Sandbox, nowMs: number, extra: { maxBodyBytes?: number } = {}): NotificationVerifier {
  return new NotificationVerifier({ ...sandbox.notificationOptions, now: () => nowMs, ...extra });
}

/** AES-256-GCM with node:crypto alone: base64(ciphertext ‖ 16-byte tag), as the platform encrypts `resource`. */
function seal(plaintext: string, key: string, nonce: string, aad: string): string {
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64');
}

/** The inverse of {@link seal}, with node:crypto alone. */
function unseal(ciphertext: string, key: string, nonce: string, aad: string): string {
  const bytes = Buffer.from(ciphertext, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(key, 'utf8'), Buffer.from(nonce, 'utf8'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
}

/** Signs `body` as the platform does (RSA-SHA256 over `TIMESTAMP\nNONCE\nBODY\n`) with node:crypto alone. */
function signedBy(key: Identity, body: string | Buffer, timestamp: number | string): { headers: Record<string, string>; body: Buffer } {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const nonce = randomBytes(16).toString('hex');
  const message = Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`), bytes, Buffer.from('\n')]);
  const signature = sign('sha256', message, key.privateKey).toString('base64');
  return {
    headers: { 'Wechatpay-Timestamp': String(timestamp), 'Wechatpay-Nonce': nonce, 'Wechatpay-Signature': signature, 'Wechatpay-Serial': key.id, 'Content-Type': 'application/json' },
    body: bytes,
  };
}

/** A notification envelope around `resource` (already encrypted, or deliberately not). */
function envelope(resource: unknown): string {
  return JSON.stringify({ id: 'EV-HAND-1', create_time: '2026-01-01T12:00:01+08:00', resource_type: 'encrypt-resource', event_type: 'TRANSACTION.SUCCESS', summary: '支付成功', resource });
}

describe('NotificationVerifier', () => {
  const sandboxes = new Map<'certificate' | 'public-key' | 'migration', Sandbox>();
  const deliveries: Delivery[] = [];
  const inbox = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      deliveries.push({ headers: request.headers, body: Buffer.concat(chunks), receivedAt: Date.now() });
      response.writeHead(204).end();
    });
  });
  let url = '';

  before(async () => {
    await new Promise<void>((resolve) => inbox.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(inbox.address() as AddressInfo).port}/wechatpay/notify`;
    for (const mode of ['certificate', 'public-key', 'migration'] as const) sandboxes.set(mode, await Sandbox.start({ mode }));
  });
  after(async () => {
    await Promise.all([...sandboxes.values()].map((sandbox) => sandbox.close()));
    inbox.closeAllConnections();
    await new Promise<void>((resolve, reject) => inbox.close((error) => (error ? reject(error) : resolve())));
  });

  function sandbox(mode: 'certificate' | 'public-key' | 'migration' = 'certificate'): Sandbox {
    const found = sandboxes.get(mode);
    assert.ok(found);
    return found;
  }

  /** Has the sandbox POST a real notification to the inbox, and returns it as received. */
  async function deliver(from: Sandbox, fault?: Fault | { type: 'wrong-apiv3-key' }, event: { resource: unknown; id?: string } = { resource: TRANSACTION }): Promise<Delivery> {
    const answer = await from.notify(url, event, fault);
    assert.equal(answer.status, 204);
    const delivery = deliveries.shift();
    assert.ok(delivery, 'the inbox received the notification');
    return delivery;
  }

  describe('with genuine notifications', () => {
    it('returns the event with its resource decrypted and parsed, signed by a platform certificate', async () => {
      const delivery = await deliver(sandbox('certificate'), undefined, { resource: TRANSACTION, id: 'EV-CERT-1' });
      assert.match(String(delivery.headers['wechatpay-serial']), /^[0-9A-F]{40}$/);
      const event = await verifierOf(sandbox(), delivery.receivedAt).verify({ headers: delivery.headers, body: delivery.body });
      assert.deepEqual(event.resource, TRANSACTION);
      const sent = JSON.parse(delivery.body.toString('utf8')) as Record<string, unknown>;
      assert.deepEqual({ ...event, resource: sent.resource }, sent, 'the envelope fields come back as sent');
      assert.equal(event.id, 'EV-CERT-1');
      assert.equal(event.event_type, 'TRANSACTION.SUCCESS');
    });

    it('returns the event signed by a WeChat Pay public key, whose Wechatpay-Serial is a PUB_KEY_ID_', async () => {
      const delivery = await deliver(sandbox('public-key'));
      assert.match(String(delivery.headers['wechatpay-serial']), /^PUB_KEY_ID_/);
      assert.deepEqual((await verifierOf(sandbox('public-key'), delivery.receivedAt).verify({ headers: delivery.headers, body: delivery.body })).resource, TRANSACTION);
    });

    it('during the migration accepts notifications signed by the public key and by the certificate alike', async () => {
      const migration = sandbox('migration');
      const [certificate, publicKey] = migration.platformKeys;
      const delivery = await deliver(migration);
      assert.equal(delivery.headers['wechatpay-serial'], certificate.id, 'the sandbox notifies signed by its certificate during the migration');
      const verifier = verifierOf(migration, delivery.receivedAt);
      assert.deepEqual((await verifier.verify({ headers: delivery.headers, body: delivery.body })).resource, TRANSACTION);
      const byPublicKey = signedBy(publicKey, delivery.body, delivery.headers['wechatpay-timestamp'] as string);
      assert.equal(byPublicKey.headers['Wechatpay-Serial'], publicKey.id);
      assert.deepEqual((await verifier.verify(byPublicKey)).resource, TRANSACTION);
    });

    it('decrypts the sandbox ciphertext to exactly what node:crypto alone decrypts', async () => {
      const delivery = await deliver(sandbox());
      const { resource } = JSON.parse(delivery.body.toString('utf8')) as { resource: { ciphertext: string; nonce: string; associated_data: string } };
      const independent = JSON.parse(unseal(resource.ciphertext, sandbox().apiv3Key, resource.nonce, resource.associated_data)) as unknown;
      assert.deepEqual((await verifierOf(sandbox(), delivery.receivedAt).verify({ headers: delivery.headers, body: delivery.body })).resource, independent);
    });

    it('accepts a notification encrypted and signed with node:crypto alone, not the SDK', async () => {
      const key = sandbox().platformKeys[0];
      const plaintext = JSON.stringify({ ...TRANSACTION, attach: '自定义数据 ✓' });
      const body = envelope({ original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', ciphertext: seal(plaintext, sandbox().apiv3Key, 'n0nce-12byte', 'transaction'), associated_data: 'transaction', nonce: 'n0nce-12byte' });
      const now = AT_MS;
      const event = await verifierOf(sandbox(), now).verify(signedBy(key, body, now / 1000));
      assert.deepEqual(event.resource, JSON.parse(plaintext));
      assert.equal(event.id, 'EV-HAND-1');
    });

    it('treats a missing associated_data as empty, as the platform does', async () => {
      const body = envelope({ algorithm: 'AEAD_AES_256_GCM', ciphertext: seal('{"ok":true}', sandbox().apiv3Key, 'nonce-no-aad', ''), nonce: 'nonce-no-aad' });
      assert.deepEqual((await verifierOf(sandbox(), AT_MS).verify(signedBy(sandbox().platformKeys[0], body, AT_SECONDS))).resource, { ok: true });
    });

    it('reads the headers from node IncomingHttpHeaders, a plain object with mixed-case names, and a Fetch Headers', async () => {
      const delivery = await deliver(sandbox());
      const verifier = verifierOf(sandbox(), delivery.receivedAt);
      const value = (name: string) => delivery.headers[name] as string;
      const mixedCase = {
        'WECHATPAY-TIMESTAMP': value('wechatpay-timestamp'),
        'wechatpay-nonce': value('wechatpay-nonce'),
        'Wechatpay-Signature': value('wechatpay-signature'),
        'WeChatPay-Serial': value('wechatpay-serial'),
        'Content-Type': 'application/json',
      };
      const fetchHeaders = new Headers();
      for (const [name, text] of Object.entries(mixedCase)) fetchHeaders.set(name, text);
      for (const headers of [delivery.headers, mixedCase, fetchHeaders]) {
        assert.deepEqual((await verifier.verify({ headers, body: delivery.body })).resource, TRANSACTION);
      }
    });

    it('takes the raw body as a Buffer or as the string it decodes to', async () => {
      const delivery = await deliver(sandbox(), undefined, { resource: { ...TRANSACTION, attach: '中文 and emoji 🧧' } });
      const verifier = verifierOf(sandbox(), delivery.receivedAt);
      for (const body of [delivery.body, delivery.body.toString('utf8')]) {
        assert.equal(fieldsOf(await verifier.verify({ headers: delivery.headers, body })).attach, '中文 and emoji 🧧');
      }
    });

    it('serves many notifications with one verifier', async () => {
      const verifier = new NotificationVerifier(sandbox().notificationOptions);
      const received = await Promise.all(['A', 'B', 'C'].map((id) => deliver(sandbox(), undefined, { resource: { out_trade_no: id } })));
      const seen = await Promise.all(received.map(async (delivery) => fieldsOf(await verifier.verify({ headers: delivery.headers, body: delivery.body })).out_trade_no));
      assert.deepEqual(seen.sort(), ['A', 'B', 'C']);
    });
  });

  describe('with forged or spoiled notifications', () => {
    it('rejects a body changed after signing with BAD_SIGNATURE', async () => {
      const delivery = await deliver(sandbox(), { type: 'tampered-body' });
      const error = await rejection(() => verifierOf(sandbox(), delivery.receivedAt).verify({ headers: delivery.headers, body: delivery.body }));
      assert.ok(error instanceof VerificationError);
      assert.equal(error.code, ErrorCode.BAD_SIGNATURE);
      assert.match(error.message, /Wechatpay-Signature/);
    });

    it('rejects a genuine signature over a body that was re-serialized (parsed and stringified again)', async () => {
      const delivery = await deliver(sandbox(), undefined, { resource: TRANSACTION });
      const reserialized = JSON.stringify(JSON.parse(delivery.body.toString('utf8')), null, 1);
      const error = await rejection(() => verifierOf(sandbox(), delivery.receivedAt).verify({ headers: delivery.headers, body: reserialized }));
      assert.equal(error.code, ErrorCode.BAD_SIGNATURE);
    });

    it('rejects a notification whose timestamp is 301 s old with CLOCK_SKEW', async () => {
      const delivery = await deliver(sandbox(), { type: 'stale-timestamp', seconds: 301 });
      const error = await rejection(() => verifierOf(sandbox(), delivery.receivedAt).verify({ headers: delivery.headers, body: delivery.body }));
      assert.ok(error instanceof VerificationError);
      assert.equal(error.code, ErrorCode.CLOCK_SKEW);
      assert.match(error.message, /Wechatpay-Timestamp/);
    });

    it('accepts a notification whose timestamp is 299 s old', async () => {
      const delivery = await deliver(sandbox(), { type: 'stale-timestamp', seconds: 299 });
      // The clock reads the second the sandbox signed in, so the age is exactly the injected 299 s.
      const signedAt = (Number(delivery.headers['wechatpay-timestamp']) + 299) * 1000;
      assert.deepEqual((await verifierOf(sandbox(), signedAt).verify({ headers: delivery.headers, body: delivery.body })).resource, TRANSACTION);
    });

    it('draws the window at 300 s either way: 300 s passes, 301 s fails, in the past and in the future', async () => {
      const timestamp = AT_SECONDS;
      const notification = signedBy(sandbox().platformKeys[0], envelope({ algorithm: 'AEAD_AES_256_GCM', ciphertext: seal('{}', sandbox().apiv3Key, 'n', 'a'), nonce: 'n', associated_data: 'a' }), timestamp);
      for (const offset of [-300, 0, 300]) assert.deepEqual((await verifierOf(sandbox(), (timestamp + offset) * 1000).verify(notification)).resource, {});
      for (const offset of [-301, 301, 86_400]) {
        assert.equal((await rejection(() => verifierOf(sandbox(), (timestamp + offset) * 1000).verify(notification))).code, ErrorCode.CLOCK_SKEW);
      }
    });

    it('rejects a correctly signed timestamp that is not a Unix time with CLOCK_SKEW', async () => {
      for (const timestamp of ['abc', '1e9', '-5', '1767240000.5', ' 1767240000', '99999999999999']) {
        const notification = signedBy(sandbox().platformKeys[0], envelope({}), timestamp);
        assert.equal((await rejection(() => verifierOf(sandbox(), AT_MS).verify(notification))).code, ErrorCode.CLOCK_SKEW, timestamp);
      }
    });

    it('rejects a notification signed by a key not in certs with UNKNOWN_SERIAL', async () => {
      const delivery = await deliver(sandbox(), { type: 'unknown-serial' });
      const error = await rejection(() => verifierOf(sandbox(), delivery.receivedAt).verify({ headers: delivery.headers, body: delivery.body }));
      assert.ok(error instanceof VerificationError);
      assert.equal(error.code, ErrorCode.UNKNOWN_SERIAL);
      assert.match(error.message, /Wechatpay-Serial [0-9A-F]+ names no key/);
    });

    it('rejects a public-key notification given to a verifier that knows only the certificate', async () => {
      const delivery = await deliver(sandbox('public-key'));
      assert.equal((await rejection(() => verifierOf(sandbox('certificate'), delivery.receivedAt).verify({ headers: delivery.headers, body: delivery.body }))).code, ErrorCode.UNKNOWN_SERIAL);
    });

    it('rejects a notification missing any one of the four Wechatpay-* headers, naming the one missing', async () => {
      for (const header of ['Wechatpay-Timestamp', 'Wechatpay-Nonce', 'Wechatpay-Signature', 'Wechatpay-Serial']) {
        const delivery = await deliver(sandbox(), { type: 'missing-headers', headers: [header] });
        assert.equal(delivery.headers[header.toLowerCase()], undefined);
        const error = await rejection(() => verifierOf(sandbox(), delivery.receivedAt).verify({ headers: delivery.headers, body: delivery.body }));
        assert.ok(error instanceof VerificationError);
        assert.equal(error.code, ErrorCode.INCOMPLETE_HEADERS, header);
        assert.match(error.message, new RegExp(`${header.toLowerCase()} is missing`));
      }
    });

    it('rejects a notification with none of the Wechatpay-* headers, naming all four', async () => {
      const delivery = await deliver(sandbox(), { type: 'missing-headers' });
      const error = await rejection(() => verifierOf(sandbox(), delivery.receivedAt).verify({ headers: delivery.headers, body: delivery.body }));
      assert.equal(error.code, ErrorCode.INCOMPLETE_HEADERS);
      assert.match(error.message, /wechatpay-timestamp, wechatpay-nonce, wechatpay-signature, wechatpay-serial are missing/);
    });

    it('treats an empty header value as missing', async () => {
      const delivery = await deliver(sandbox());
      const error = await rejection(() => verifierOf(sandbox(), delivery.receivedAt).verify({ headers: { ...delivery.headers, 'wechatpay-nonce': '' }, body: delivery.body }));
      assert.equal(error.code, ErrorCode.INCOMPLETE_HEADERS);
    });

    it('rejects the gateway WECHATPAY/SIGNTEST/ probe with its own SIGNATURE_PROBE code', async () => {
      const delivery = await deliver(sandbox(), { type: 'signature-probe' });
      assert.match(String(delivery.headers['wechatpay-signature']), /^WECHATPAY\/SIGNTEST\//);
      const error = await rejection(() => verifierOf(sandbox(), delivery.receivedAt).verify({ headers: delivery.headers, body: delivery.body }));
      assert.ok(error instanceof VerificationError);
      assert.equal(error.code, ErrorCode.SIGNATURE_PROBE);
    });

    it('rejects a resource encrypted under another APIv3 key with a DecryptionError', async () => {
      const delivery = await deliver(sandbox(), { type: 'wrong-apiv3-key' });
      const error = await rejection(() => verifierOf(sandbox(), delivery.receivedAt).verify({ headers: delivery.headers, body: delivery.body }));
      assert.ok(error instanceof DecryptionError);
      assert.equal(error.code, ErrorCode.DECRYPTION_FAILED);
    });

    it('rejects a correctly signed body that is not JSON, has no resource, or names another algorithm as MALFORMED_BODY', async () => {
      const key = sandbox().platformKeys[0];
      const good = { algorithm: 'AEAD_AES_256_GCM', ciphertext: seal('{}', sandbox().apiv3Key, 'n', 'a'), nonce: 'n', associated_data: 'a' };
      const bodies = {
        'not JSON': '{"id":"EV-1","resource":',
        'a JSON array': '[1,2,3]',
        'a JSON string': '"resource"',
        'no resource': JSON.stringify({ id: 'EV-1', event_type: 'TRANSACTION.SUCCESS' }),
        'a string resource': envelope('ciphertext'),
        'a null resource': envelope(null),
        'another algorithm': envelope({ ...good, algorithm: 'AEAD_AES_128_GCM' }),
        'no algorithm': envelope({ ...good, algorithm: undefined }),
        'a numeric ciphertext': envelope({ ...good, ciphertext: 42 }),
        'no nonce': envelope({ ...good, nonce: undefined }),
        'a null associated_data': envelope({ ...good, associated_data: null }),
      };
      for (const [what, body] of Object.entries(bodies)) {
        const error = await rejection(() => verifierOf(sandbox(), AT_MS).verify(signedBy(key, body, AT_SECONDS)));
        assert.equal(error.code, ErrorCode.MALFORMED_BODY, what);
        assert.match(error.message, /^notification: /, what);
      }
    });

    it('rejects a resource that decrypts to something other than JSON as MALFORMED_BODY', async () => {
      const body = envelope({ algorithm: 'AEAD_AES_256_GCM', ciphertext: seal('<xml>not json</xml>', sandbox().apiv3Key, 'n', 'a'), nonce: 'n', associated_data: 'a' });
      const error = await rejection(() => verifierOf(sandbox(), AT_MS).verify(signedBy(sandbox().platformKeys[0], body, AT_SECONDS)));
      assert.equal(error.code, ErrorCode.MALFORMED_BODY);
      assert.match(error.message, /decrypted resource is not JSON/);
    });

    it('gives a typed error for a correctly signed resource whose ciphertext or nonce is unusable', async () => {
      const base = { algorithm: 'AEAD_AES_256_GCM', ciphertext: seal('{}', sandbox().apiv3Key, 'n', 'a'), nonce: 'n', associated_data: 'a' };
      for (const resource of [{ ...base, ciphertext: 'not base64!' }, { ...base, ciphertext: '' }, { ...base, ciphertext: 'AAAA' }, { ...base, nonce: '' }, { ...base, associated_data: 'b' }]) {
        await rejection(() => verifierOf(sandbox(), AT_MS).verify(signedBy(sandbox().platformKeys[0], envelope(resource), AT_SECONDS)));
      }
    });

    it('refuses a body over maxBodyBytes before checking its signature', async () => {
      const body = envelope({ algorithm: 'AEAD_AES_256_GCM', ciphertext: seal(JSON.stringify({ pad: 'x'.repeat(2048) }), sandbox().apiv3Key, 'n', 'a'), nonce: 'n', associated_data: 'a' });
      const notification = signedBy(sandbox().platformKeys[0], body, AT_SECONDS);
      assert.ok(verifierOf(sandbox(), AT_MS).verify(notification));
      const error = await rejection(() => verifierOf(sandbox(), AT_MS, { maxBodyBytes: 1024 }).verify(notification));
      assert.ok(error instanceof OptionError);
      assert.equal(error.code, ErrorCode.INVALID_ARGUMENT);
      assert.match(error.message, /over maxBodyBytes 1024/);
    });

    it('refuses a body over 1 MiB by default', async () => {
      const body = Buffer.alloc(1024 * 1024 + 1, 0x20);
      const error = await rejection(() => verifierOf(sandbox(), AT_MS).verify(signedBy(sandbox().platformKeys[0], body, AT_SECONDS)));
      assert.match(error.message, /over maxBodyBytes 1048576/);
    });

    it('refuses an empty body, and a request that is not { headers, body }, with typed errors', async () => {
      const delivery = await deliver(sandbox());
      const verifier = verifierOf(sandbox(), delivery.receivedAt);
      const requests: unknown[] = [
        { headers: delivery.headers, body: '' },
        { headers: delivery.headers, body: Buffer.alloc(0) },
        { headers: delivery.headers },
        { headers: delivery.headers, body: JSON.parse(delivery.body.toString('utf8')) as unknown },
        { body: delivery.body },
        { headers: null, body: delivery.body },
        { headers: 'wechatpay-serial: x', body: delivery.body },
        null,
        undefined,
        'body',
      ];
      for (const request of requests) {
        const error = await rejection(() => verifier.verify(request as NotificationRequest));
        assert.ok(error instanceof OptionError, inspect(request).slice(0, 60));
      }
    });
  });

  describe('construction', () => {
    it('refuses an APIv3 key that is not 32 bytes, naming apiv3Key and never echoing it', async () => {
      const { certs } = sandbox().notificationOptions;
      for (const apiv3Key of ['k'.repeat(31) + 'SECRET', 'SECRET' + 'k'.repeat(20), Buffer.from('SECRET'.repeat(8)), '']) {
        const error = await rejection(() => new NotificationVerifier({ certs, apiv3Key }));
        assert.ok(error instanceof OptionError);
        assert.match(error.message, /apiv3Key/);
        assert.doesNotMatch(`${error.message}\n${inspect(error, { showHidden: true })}\n${JSON.stringify(error)}`, /SECRET/);
      }
      for (const apiv3Key of [undefined, 32, null]) {
        const error = await rejection(() => new NotificationVerifier({ certs, apiv3Key } as unknown as ConstructorParameters<typeof NotificationVerifier>[0]));
        assert.ok(error instanceof OptionError);
        assert.match(error.message, /apiv3Key/);
      }
    });

    it('takes the APIv3 key as a 32-byte Buffer as well as a string', async () => {
      const delivery = await deliver(sandbox());
      const verifier = new NotificationVerifier({ certs: sandbox().notificationOptions.certs, apiv3Key: Buffer.from(sandbox().apiv3Key), now: () => delivery.receivedAt });
      assert.deepEqual((await verifier.verify({ headers: delivery.headers, body: delivery.body })).resource, TRANSACTION);
    });

    it('refuses empty or missing certs, naming certs', async () => {
      const { apiv3Key } = sandbox().notificationOptions;
      for (const certs of [{}, undefined, null, [], 'PEM']) {
        const error = await rejection(() => new NotificationVerifier({ certs, apiv3Key } as unknown as ConstructorParameters<typeof NotificationVerifier>[0]));
        assert.ok(error instanceof OptionError);
        assert.match(error.message, /certs/);
      }
    });

    it('refuses options that are not an object', async () => {
      for (const options of [undefined, null, 'certs', []]) {
        assert.ok(await rejection(() => new NotificationVerifier(options as unknown as ConstructorParameters<typeof NotificationVerifier>[0])) instanceof OptionError);
      }
    });
  });

  it('never puts the APIv3 key or any key material into an error message, inspection or JSON', async () => {
    const secrets = [sandbox().apiv3Key, Buffer.from(sandbox().apiv3Key).toString('base64'), Buffer.from(sandbox().apiv3Key).toString('hex')];
    const pemLines = sandbox('migration').platformKeys.flatMap((key) => key.privateKeyPem.split('\n').filter((line) => line.length === 64));
    const errors: WechatpayError[] = [];
    const faults: Array<Fault | { type: 'wrong-apiv3-key' }> = [{ type: 'tampered-body' }, { type: 'stale-timestamp', seconds: 999 }, { type: 'unknown-serial' }, { type: 'missing-headers' }, { type: 'signature-probe' }, { type: 'wrong-apiv3-key' }];
    for (const fault of faults) {
      const delivery = await deliver(sandbox(), fault);
      errors.push(await rejection(() => verifierOf(sandbox(), delivery.receivedAt).verify({ headers: delivery.headers, body: delivery.body })));
    }
    errors.push(await rejection(() => verifierOf(sandbox(), AT_MS).verify(signedBy(sandbox().platformKeys[0], envelope({ algorithm: 'AEAD_AES_256_GCM', ciphertext: seal('nope', sandbox().apiv3Key, 'n', 'a'), nonce: 'n', associated_data: 'a' }), AT_SECONDS))));
    for (const error of errors) {
      const cause: unknown = (error as { cause?: unknown }).cause;
      const shown = [error.message, String(error.stack), inspect(error, { depth: 8, showHidden: true }), JSON.stringify(error), Object.keys(error).join(), inspect(cause, { depth: 8, showHidden: true })].join('\n');
      assert.doesNotMatch(shown, /PRIVATE KEY/, error.code);
      for (const secret of [...secrets, ...pemLines]) assert.equal(shown.includes(secret), false, `${error.code} shows a secret`);
    }
    const verifier = new NotificationVerifier(sandbox().notificationOptions);
    const printed = `${inspect(verifier, { showHidden: true, depth: 8 })}${JSON.stringify(verifier)}`;
    for (const secret of secrets) assert.equal(printed.includes(secret), false, 'the verifier itself prints no key');
  });

  it('rejects a Wechatpay-Signature that is not canonical base64', async () => {
    const delivery = await deliver(sandbox());
    const verifier = verifierOf(sandbox(), delivery.receivedAt);
    const signature = delivery.headers['wechatpay-signature'] as string;
    for (const altered of [`${signature}AAAA`, `${signature} `, `!${signature}`, signature.replace(/=+$/, ''), `${signature.slice(0, 8)}\n${signature.slice(8)}`]) {
      assert.equal((await rejection(() => verifier.verify({ headers: { ...delivery.headers, 'wechatpay-signature': altered }, body: delivery.body }))).code, ErrorCode.BAD_SIGNATURE, JSON.stringify(altered.slice(-6)));
    }
  });
});
