import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { diagnose, InvalidOptionError, NotificationVerifier, type CheckResult, type DiagnoseOptions } from '../../lib';
import { Sandbox } from '../../lib/sandbox';
import { serialHex } from '../../lib/sandbox/keys';
import { issueCertificate } from '../../lib/sandbox/pki';

/** The status of check `id` (the first whose id starts with it); fails when there is none. */
function statusOf(results: CheckResult[], id: string): CheckResult {
  const found = results.find((result) => result.id.startsWith(id));
  assert.ok(found, `no ${id} check in ${JSON.stringify(results.map((result) => result.id))}`);
  return found;
}

describe('diagnose()', () => {
  let sandbox: Sandbox;
  let merchantCertificate: string;
  let setup: DiagnoseOptions;
  before(async () => {
    sandbox = await Sandbox.start({ mchid: '1900000901' });
    merchantCertificate = sandbox.merchantTls.cert;
    const { secret, merchant, ...v3 } = sandbox.clientOptions;
    void merchant;
    setup = { ...v3, secret, apiv3Key: sandbox.apiv3Key, merchantCertificate };
  });
  after(() => sandbox.close());

  it('passes every check on a correct setup against the sandbox, with the echo round trip', async () => {
    const results = await diagnose(setup);
    assert.deepEqual(results.filter((result) => result.status !== 'pass'), []);
    for (const id of ['private-key', 'serial', 'key-matches-certificate', 'serial-matches-certificate', 'platform-key:', 'apiv3-key', 'apiv2-key', 'clock', 'gateway-echo', 'platform-certificates']) statusOf(results, id);
    const echo = sandbox.requests.filter((request) => request.target === '/v3/security/echo').at(-1);
    assert.ok(echo?.authorized, 'the echo reached the gateway signed');
    assert.ok(!JSON.stringify(results).includes(sandbox.apiv3Key) && !JSON.stringify(results).includes('PRIVATE KEY'), 'no secret in the report');
  });

  it('passes every check against a gateway midway through the move to the WeChat Pay public key', async () => {
    const migrating = await Sandbox.start({ mode: 'migration', mchid: '1900000902' });
    after(() => migrating.close());
    const { secret, merchant, ...v3 } = migrating.clientOptions;
    void merchant;
    assert.deepEqual(Object.keys(v3.certs ?? {}).map((id) => id.startsWith('PUB_KEY_ID_')), [false, true], 'a certificate and the public key');
    const results = await diagnose({ ...v3, secret, apiv3Key: migrating.apiv3Key, merchantCertificate: migrating.merchantTls.cert });
    assert.deepEqual(results.filter((result) => result.status !== 'pass'), []);
  });

  it('gives each misconfiguration its own failing line', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const cases: Array<[Partial<DiagnoseOptions>, string, RegExp]> = [
      [{ privateKey: other }, 'key-matches-certificate', /does not belong to the merchant certificate/],
      [{ privateKey: 'not a key' }, 'private-key', /privateKey/],
      [{ serial: BigInt(`0x${sandbox.clientOptions.serial}`).toString(10) }, 'serial', /decimal rendering/],
      [{ serial: `${sandbox.clientOptions.serial}\n` }, 'serial', /whitespace/],
      [{ serial: 'ABCDEF' }, 'serial', /not 40 hex characters/],
      [{ apiv3Key: 'short' }, 'apiv3-key', /5 bytes, not 32/],
      [{ secret: 'x'.repeat(31) }, 'apiv2-key', /31 bytes, not 32/],
      [{ certs: { [sandbox.clientOptions.serial]: merchantCertificate } }, 'platform-key:', /this is the merchant certificate/],
      [{ certs: { PUB_KEY_ID_x: sandbox.platformKeys[0].publicKeyPem } }, 'platform-key:', /neither a certificate serial/],
    ];
    for (const [change, id, pattern] of cases) {
      const check = statusOf(await diagnose({ ...setup, ...change, offline: true }), id);
      assert.equal(check.status, 'fail', `${id}: ${JSON.stringify(check)}`);
      assert.match(check.message, pattern);
      assert.ok(check.fix, 'says what to do');
      assert.equal(check.option, Object.keys(change)[0], `${id} names the option at fault`);
    }
  });

  it('names the option a fix is about as diagnose() takes it, never a command-line flag', async () => {
    const { serial, privateKey, merchantCertificate: certificate, ...rest } = setup;
    const missing = await diagnose({ ...rest, offline: true });
    assert.deepEqual(
      missing.filter((check) => check.status === 'fail').map(({ id, option }) => ({ id, option })),
      [
        { id: 'private-key', option: 'privateKey' },
        { id: 'serial', option: 'serial' },
      ],
    );
    const other = 'ABCDEF0123456789ABCDEF0123456789ABCDEF01';
    const mismatch = statusOf(await diagnose({ ...setup, serial: other, offline: true }), 'serial-matches-certificate');
    assert.deepEqual({ option: mismatch.option, fix: mismatch.fix }, { option: 'serial', fix: `use the serial ${String(serial).toUpperCase()}` });
    const refused = statusOf(await diagnose({ ...setup, serial: other, merchantCertificate: undefined }), 'gateway-echo');
    assert.equal(refused.option, 'merchantCertificate');
    void privateKey;
    void certificate;
    for (const check of [...missing, mismatch, refused]) assert.doesNotMatch(check.fix ?? '', /(^|\s)--?[a-z]/, `${check.id}: ${check.fix}`);
  });

  it('reports an expired platform certificate, and warns of one ending within 30 days', async () => {
    const ca = sandbox.platformKeys[0];
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const DAY = 24 * 3600 * 1000;
    for (const [notAfter, status, pattern] of [
      [new Date(Date.now() - DAY), 'fail', /expired on/],
      [new Date(Date.now() + 10 * DAY), 'warn', /within 30 days/],
    ] as const) {
      const serial = serialHex();
      const pem = issueCertificate({ serial, subject: '/C=CN/O=Tenpay/CN=Tenpay.com Root CA', issuer: '/C=CN/CN=Sandbox CA', notBefore: new Date(Date.now() - 365 * DAY), notAfter, publicKey: pair.publicKey, issuerKey: ca.privateKey, issuerPublicKey: ca.publicKey, profile: { kind: 'signing' } });
      const check = statusOf(await diagnose({ ...setup, certs: { [serial]: pem }, offline: true }), 'platform-key:');
      assert.equal(check.status, status);
      assert.match(check.message, pattern);
    }
  });

  it('reports an APIv3 key that does not decrypt the platform certificates', async () => {
    const check = statusOf(await diagnose({ ...setup, apiv3Key: 'k'.repeat(32) }), 'platform-certificates');
    assert.equal(check.status, 'fail');
    assert.match(check.message, /did not decrypt with the APIv3 key/);
  });

  it('reports a gateway clock more than 60 s away', async () => {
    sandbox.skewClock(120);
    try {
      const check = statusOf(await diagnose(setup), 'clock');
      assert.equal(check.status, 'fail');
      assert.match(check.message, /(119|120|121) s behind the gateway/, "the Date header counts whole seconds");
    } finally {
      sandbox.skewClock(0);
    }
  });

  it('reports the gateway’s SIGN_ERROR when the serial names another certificate', async () => {
    const results = await diagnose({ ...setup, serial: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01', merchantCertificate: undefined });
    const echo = statusOf(results, 'gateway-echo');
    assert.equal(echo.status, 'fail');
    assert.match(echo.message, /SIGN_ERROR|401/);
  });

  it('refuses an option name in another case than its own, whose check would otherwise be skipped', async () => {
    const { merchantCertificate, ...rest } = setup;
    for (const [options, meant] of [
      [{ ...setup, notifyURL: 'http://127.0.0.1:9/notify' }, 'notifyUrl'],
      [{ ...rest, merchantcertificate: merchantCertificate }, 'merchantCertificate'],
      [{ ...setup, Offline: true }, 'offline'],
    ] as const) {
      await assert.rejects(diagnose(options as unknown as DiagnoseOptions), (error: unknown) => error instanceof InvalidOptionError && error.message.endsWith(`did you mean ${meant}?`), meant);
    }
  });

  it('asks the gateway for its test notification, which the sandbox sends signed to notify_url', { timeout: 10_000 }, async () => {
    let arrived!: (notification: { headers: IncomingHttpHeaders; body: Buffer }) => void;
    const received = new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve) => (arrived = resolve));
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => {
        arrived({ headers: request.headers, body: Buffer.concat(chunks) });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const notifyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
      const results = await diagnose({ ...setup, notifyUrl });
      assert.equal(statusOf(results, 'notify-url').status, 'pass');
      const event = await new NotificationVerifier(sandbox.notificationOptions).verify(await received);
      assert.equal(event.event_type, 'SECURITY.ECHO_TEST');
    } finally {
      server.close();
    }
  });
});
