import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import axios from 'axios';
import { ApiError, ErrorCode, VerificationError, Wechatpay, WechatpayError } from '../../lib';
import { Sandbox } from '../../lib/sandbox';
import { PlatformKeyring } from '../../lib/platform-keys';
import { downloadCertificates } from '../../lib/v3/certificates';
import { createV3Client, signedInstance } from '../../lib/v3/client';
import { CertificateRefresher, UNKNOWN_SERIAL_INTERVAL_MS } from '../../lib/v3/certificate-refresher';
import { destinationOf } from '../../lib/attempts';
import { resolveOptions } from '../../lib/client-options';
import { sharedDefaults } from '../../lib/http-defaults';
import { Deadline } from '../../lib/deadline';
import { CHANNELS } from '../../lib/diagnostics';

const query = (wxpay: Wechatpay, code: string) => wxpay.v3.creditRepayment.partner.contracts._out_contract_code_.get({ out_contract_code: code });
const downloads = (sandbox: Sandbox) => sandbox.requests.filter((request) => request.target === '/v3/certificates').length;

function withoutCerts(sandbox: Sandbox) {
  const { certs, ...rest } = sandbox.clientOptions;
  void certs;
  return { ...rest, apiv3Key: sandbox.apiv3Key };
}

describe('platform certificates', () => {
  let sandbox: Sandbox;
  before(async () => (sandbox = await Sandbox.start()));
  after(() => sandbox.close());

  it('downloads, decrypts and checks the certificates, verifying the first download with the certificate it carries', async () => {
    const resolved = resolveOptions(withoutCerts(sandbox));
    const v3 = resolved.v3;
    assert.ok(v3);
    const { instance, refresher } = createV3Client(v3, sharedDefaults(resolved), 5000, destinationOf(resolved));
    void instance;
    assert.ok(refresher);
    const certificates = await new Deadline(5000, 'GET v3/certificates')
      .run((deadline) => downloadCertificates(axios.create(), Buffer.alloc(32), new PlatformKeyring(), { deadline, destination: destinationOf(resolved) }))
      .catch((error: unknown) => error);
    assert.ok(certificates instanceof Error, 'an unsigned plain axios cannot download');
    const events: unknown[] = [];
    const record = (message: unknown) => void events.push(message);
    CHANNELS.certificates.subscribe(record);
    try {
      await refresher.refresh();
    } finally {
      CHANNELS.certificates.unsubscribe(record);
    }
    assert.deepEqual(events, [{ phase: 'start', mchid: resolved.mchid }, { phase: 'success', mchid: resolved.mchid, count: 1 }], 'the events name the merchant');
    assert.deepEqual([...v3.keyring.keys.keys()], [sandbox.platformKeys[0].id]);
    assert.equal(v3.keyring.preferredId, sandbox.platformKeys[0].id);
  });

  it('lets a client with only the APIv3 key bootstrap its certificates on the first call', async () => {
    const before = downloads(sandbox);
    const wxpay = new Wechatpay(withoutCerts(sandbox));
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => query(wxpay, `BOOT-${i}`)));
    assert.equal(answers.length, 10);
    assert.equal(downloads(sandbox) - before, 1, 'one download however many calls wait');
  });

  it('refreshes once on a rotation, trusting the new certificate only through a verified download', async () => {
    const wxpay = new Wechatpay({ ...sandbox.clientOptions, apiv3Key: sandbox.apiv3Key });
    await query(wxpay, 'ROT-0');
    const before = downloads(sandbox);
    const rotated = await sandbox.rotateCertificate();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => query(wxpay, `ROT-${i + 1}`)));
    assert.ok(answers.every((answer) => answer.headers['wechatpay-serial'] === rotated.id));
    assert.equal(downloads(sandbox) - before, 1);
    await query(wxpay, 'ROT-AFTER');
    const last = sandbox.requests[sandbox.requests.length - 1];
    assert.equal(last.headers['wechatpay-serial'], rotated.id, 'requests now ask for the newest certificate');
  });

  it('rejects an answer by an unknown certificate when the client does not manage certificates', async () => {
    const fresh = await Sandbox.start();
    try {
      const wxpay = new Wechatpay(fresh.clientOptions);
      await fresh.rotateCertificate();
      await assert.rejects(query(wxpay, 'X'), (error: unknown) => error instanceof VerificationError && error.code === ErrorCode.UNKNOWN_SERIAL);
    } finally {
      await fresh.close();
    }
  });

  it('never trusts certificates from a download it could not verify', async () => {
    const fresh = await Sandbox.start();
    try {
      const wxpay = new Wechatpay({ ...fresh.clientOptions, apiv3Key: fresh.apiv3Key });
      await fresh.rotateCertificate();
      // The first answer names the new certificate; the download that follows is tampered with.
      fresh.inject({ type: 'slow', ms: 0 }).inject({ type: 'tampered-body' });
      await assert.rejects(query(wxpay, 'T'), (error: unknown) => error instanceof VerificationError && error.code === ErrorCode.BAD_SIGNATURE && /v3\/certificates/.test(error.message));
      const before = downloads(fresh);
      await assert.rejects(query(wxpay, 'T2'), (error: unknown) => error instanceof VerificationError && error.code === ErrorCode.UNKNOWN_SERIAL);
      assert.equal(downloads(fresh), before, 'no second download within the interval, and nothing from the first was trusted');
    } finally {
      await fresh.close();
    }
  });
});

describe('a merchant on the WeChat Pay public key', () => {
  it('treats 404 from /v3/certificates as "no certificates", says what to do, and does not ask again', async () => {
    const sandbox = await Sandbox.start({ mode: 'public-key' });
    try {
      const bootstrapping = new Wechatpay(withoutCerts(sandbox));
      await assert.rejects(query(bootstrapping, 'P'), (error: unknown) => error instanceof WechatpayError && error.code === ErrorCode.NO_CERTIFICATES && /PUB_KEY_ID_/.test(error.message));
      const wxpay = new Wechatpay({ ...sandbox.clientOptions, apiv3Key: sandbox.apiv3Key });
      const before = downloads(sandbox);
      for (let i = 0; i < 3; i += 1) await query(wxpay, `PK-${i}`);
      assert.ok(downloads(sandbox) - before <= 1, 'at most one look, never a retry loop');
    } finally {
      await sandbox.close();
    }
  });

  it('never downloads certificates for an answer signed by a public key it does not hold: public keys are not downloaded', async () => {
    const [sandbox, other] = await Promise.all([Sandbox.start({ mode: 'public-key', mchid: '1900000801' }), Sandbox.start({ mode: 'public-key', mchid: '1900000802' })]);
    try {
      // The merchant's client holds another merchant's public key: the answer names a key it lacks.
      const wxpay = new Wechatpay({ ...sandbox.clientOptions, certs: other.clientOptions.certs, apiv3Key: sandbox.apiv3Key });
      const before = downloads(sandbox);
      await assert.rejects(query(wxpay, 'PK-UNKNOWN'), (error: unknown) => error instanceof VerificationError && error.code === ErrorCode.UNKNOWN_SERIAL && /PUB_KEY_ID_011900000801\d+ .*add it to certs/.test(error.message));
      assert.equal(downloads(sandbox) - before, 0, 'no GET /v3/certificates');
    } finally {
      await Promise.all([sandbox.close(), other.close()]);
    }
  });
});

describe('the certificate refresher', () => {
  it('downloads ahead of the last certificate expiry without holding up the request, and not while the keys are fresh', async () => {
    const sandbox = await Sandbox.start();
    try {
      const resolved = resolveOptions({ ...sandbox.clientOptions, apiv3Key: sandbox.apiv3Key });
      const v3 = resolved.v3;
      assert.ok(v3);
      const http = signedInstance(resolved.mchid, v3, sharedDefaults(resolved));
      const fresh = new CertificateRefresher(http, { apiv3Key: Buffer.from(sandbox.apiv3Key), keyring: v3.keyring, timeoutMs: 5000, destination: destinationOf(resolved) });
      const before = downloads(sandbox);
      assert.equal(fresh.ensureFresh(), undefined);
      assert.equal(downloads(sandbox), before, 'years before expiry: nothing to do');
      // The same trusted key, but held as a certificate that ends within the hour.
      const [platform] = sandbox.platformKeys;
      const ending = new PlatformKeyring([[platform.id, { key: platform.publicKey, validFrom: new Date(Date.now() - 86_400_000), validTo: new Date(Date.now() + 3_600_000) }]]);
      const early = new CertificateRefresher(http, { apiv3Key: Buffer.from(sandbox.apiv3Key), keyring: ending, timeoutMs: 5000, destination: destinationOf(resolved) });
      assert.equal(early.ensureFresh(), undefined, 'the request does not wait on an early refresh');
      await early.refresh();
      assert.equal(downloads(sandbox) - before, 1, 'the early refresh and the explicit one shared a single download');
      assert.ok((ending.latestExpiry?.getTime() ?? 0) > Date.now() + 365 * 86_400_000, 'the downloaded certificate now carries the keyring');
    } finally {
      await sandbox.close();
    }
  });
});

describe('a certificate download that stalls or fails', () => {
  let sandbox: Sandbox;
  before(async () => (sandbox = await Sandbox.start()));
  after(() => sandbox.close());

  const isTimeout = (error: unknown) => error instanceof WechatpayError && error.code === ErrorCode.TIMEOUT;

  it('does not wedge the client: a stalled download is abandoned at its own deadline, and a later call downloads again', { timeout: 10_000 }, async () => {
    const wxpay = new Wechatpay({ ...withoutCerts(sandbox), timeout: 300 });
    sandbox.inject({ type: 'stall' });
    const before = downloads(sandbox);
    await assert.rejects(wxpay.v3.creditRepayment.partner.contracts._out_contract_code_.get({ out_contract_code: 'STALL-1', timeout: 3000 }), (error: unknown) => isTimeout(error) && /GET v3\/certificates/.test((error as Error).message));
    const answer = await query(wxpay, 'STALL-2');
    assert.equal(answer.status, 200, 'the gateway recovered, and so did the client');
    assert.equal(downloads(sandbox) - before, 2, 'the stalled download was abandoned and another one made');
  });

  it('ends a call waiting on a stalled download at the call’s own deadline', { timeout: 10_000 }, async () => {
    const wxpay = new Wechatpay({ ...withoutCerts(sandbox), timeout: 1500 });
    sandbox.inject({ type: 'stall' });
    const started = Date.now();
    await assert.rejects(wxpay.v3.creditRepayment.partner.contracts._out_contract_code_.get({ out_contract_code: 'OWN', timeout: 100 }), (error: unknown) => isTimeout(error) && /100 ms/.test((error as Error).message));
    assert.ok(Date.now() - started < 1000);
  });

  it('ends a call waiting on a stalled download at the call’s own signal', { timeout: 10_000 }, async () => {
    const wxpay = new Wechatpay({ ...withoutCerts(sandbox), timeout: 1500 });
    sandbox.inject({ type: 'stall' });
    const controller = new AbortController();
    const call = wxpay.v3.creditRepayment.partner.contracts._out_contract_code_.get({ out_contract_code: 'SIG', signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(call, (error: unknown) => axios.isCancel(error));
  });

  it('runs one download at a time, however many calls wait', async () => {
    const wxpay = new Wechatpay({ ...withoutCerts(sandbox), timeout: 2000 });
    sandbox.inject({ type: 'slow', ms: 100 });
    const before = downloads(sandbox);
    await Promise.all(Array.from({ length: 8 }, (_, i) => query(wxpay, `ONE-${i}`)));
    assert.equal(downloads(sandbox) - before, 1);
  });

  it('answers naming unknown serials start at most one download per interval', async () => {
    const wxpay = new Wechatpay({ ...sandbox.clientOptions, apiv3Key: sandbox.apiv3Key });
    const before = downloads(sandbox);
    for (let i = 0; i < 6; i += 1) {
      sandbox.inject({ type: 'unknown-serial' });
      await assert.rejects(query(wxpay, `UNK-${i}`), (error: unknown) => error instanceof VerificationError && error.code === ErrorCode.UNKNOWN_SERIAL);
    }
    assert.equal(downloads(sandbox) - before, 1, `six forged answers, one download (interval ${UNKNOWN_SERIAL_INTERVAL_MS} ms)`);
  });

  it('still learns a genuine rotation once the interval has passed', async () => {
    const fresh = await Sandbox.start();
    try {
      const resolved = resolveOptions({ ...fresh.clientOptions, apiv3Key: fresh.apiv3Key });
      const v3 = resolved.v3;
      assert.ok(v3);
      let now = Date.now();
      const refresher = new CertificateRefresher(signedInstance(resolved.mchid, v3, sharedDefaults(resolved)), { apiv3Key: Buffer.from(fresh.apiv3Key), keyring: v3.keyring, timeoutMs: 2000, now: () => now, destination: destinationOf(resolved) });
      await refresher.refresh();
      const rotated = await fresh.rotateCertificate();
      now += 1000;
      await refresher.refreshForUnknownSerial();
      assert.equal(v3.keyring.keys.has(rotated.id), false, 'within the interval: no download');
      now += UNKNOWN_SERIAL_INTERVAL_MS;
      await refresher.refreshForUnknownSerial();
      assert.equal(v3.keyring.keys.has(rotated.id), true, 'after it: the new certificate, from a verified download');
    } finally {
      await fresh.close();
    }
  });

  it('reports a download the gateway refused as an ApiError', async () => {
    const wxpay = new Wechatpay(withoutCerts(sandbox));
    sandbox.inject({ type: 'error', status: 500, code: 'SYSTEM_ERROR', message: 'busy' });
    await assert.rejects(query(wxpay, 'E'), (error: unknown) => error instanceof ApiError && error.apiCode === 'SYSTEM_ERROR' && error.response?.status === 500);
  });
});
