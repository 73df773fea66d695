import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, sign, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ErrorCode, OptionError } from '../lib';
import { loadPrivateKey, loadVerificationKey } from '../lib/keys';
import { Sandbox } from '../lib/sandbox';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const spki = publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** The key signs, and the original public key verifies: the loaded key is the same key. */
function samePair(loaded: ReturnType<typeof loadPrivateKey>): boolean {
  return verify('sha256', Buffer.from('m'), publicKey, sign('sha256', Buffer.from('m'), loaded));
}

function refuses(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof OptionError);
    assert.equal(error.code, ErrorCode.INVALID_OPTION);
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /MII|BEGIN/, 'the message never echoes key material');
    return true;
  });
}

describe('loadPrivateKey', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'wechatpay-keys-'));
    writeFileSync(join(dir, 'apiclient_key.pem'), pkcs8);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads PKCS#8 and PKCS#1 PEM, as strings or Buffers', () => {
    for (const input of [pkcs8, pkcs1, Buffer.from(pkcs8), Buffer.from(pkcs1)]) assert.ok(samePair(loadPrivateKey(input)));
  });

  it('loads PKCS#8 and PKCS#1 DER bytes', () => {
    assert.ok(samePair(loadPrivateKey(privateKey.export({ type: 'pkcs8', format: 'der' }))));
    assert.ok(samePair(loadPrivateKey(privateKey.export({ type: 'pkcs1', format: 'der' }))));
  });

  it('loads a file:// URL', () => {
    assert.ok(samePair(loadPrivateKey(pathToFileURL(join(dir, 'apiclient_key.pem')).href)));
  });

  it('takes a private KeyObject as it is', () => {
    assert.equal(loadPrivateKey(privateKey), privateKey);
  });

  it('names the option and the file when a file cannot be read', () => {
    refuses(() => loadPrivateKey(pathToFileURL(join(dir, 'missing.pem')).href), /^privateKey: cannot read .*missing\.pem \(ENOENT\)/);
  });

  it('refuses garbage, empty input, wrong types and non-RSA keys without echoing them', () => {
    refuses(() => loadPrivateKey('-----BEGIN PRIVATE KEY-----\nMIIBroken\n-----END PRIVATE KEY-----'), /^privateKey: is not a readable PKCS#1 or PKCS#8 private key$/);
    refuses(() => loadPrivateKey(''), /privateKey: is empty/);
    refuses(() => loadPrivateKey(42), /privateKey: expected a PEM string/);
    refuses(() => loadPrivateKey(publicKey), /expected an RSA private KeyObject, got a rsa public key/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    refuses(() => loadPrivateKey(ec), /expected an RSA private KeyObject/);
    refuses(() => loadPrivateKey(ec.export({ type: 'pkcs8', format: 'pem' })), /expected an RSA key, got ec/);
  });

  it('keeps the underlying cause off the enumerable fields', () => {
    try {
      loadPrivateKey('-----BEGIN PRIVATE KEY-----\nMIIBroken\n-----END PRIVATE KEY-----');
      assert.fail('expected a throw');
    } catch (error) {
      assert.ok(error instanceof OptionError);
      assert.ok(error.cause instanceof Error);
      assert.equal(Object.keys(error).includes('cause'), false);
    }
  });
});

describe('loadVerificationKey', () => {
  let sandbox: Sandbox;
  before(async () => (sandbox = await Sandbox.start()));
  after(() => sandbox.close());

  it('reads an X.509 certificate in PEM or DER, with its serial and validity', () => {
    const pem = sandbox.platformKeys[0].certificatePem ?? '';
    const der = new X509Certificate(pem).raw;
    for (const input of [pem, Buffer.from(pem), der]) {
      const loaded = loadVerificationKey(input, 'certs["x"]');
      assert.equal(loaded.certificateSerial, sandbox.platformKeys[0].id);
      assert.ok(loaded.validFrom instanceof Date);
      assert.equal(loaded.key.export({ type: 'spki', format: 'pem' }), sandbox.platformKeys[0].publicKeyPem);
    }
  });

  it('reads an SPKI public key in PEM or DER, and a public KeyObject', () => {
    for (const input of [spki, publicKey.export({ type: 'spki', format: 'der' }), createPublicKey(spki)]) {
      const loaded = loadVerificationKey(input, 'certs["x"]');
      assert.equal(loaded.certificateSerial, undefined);
      assert.equal(loaded.key.export({ type: 'spki', format: 'pem' }), spki);
    }
  });

  it('refuses a private key where a public one belongs, naming the entry', () => {
    refuses(() => loadVerificationKey(pkcs8, 'certs["ABC"]'), /^certs\["ABC"\]: holds a private key/);
    refuses(() => loadVerificationKey(privateKey, 'certs["ABC"]'), /^certs\["ABC"\]: expected an RSA public KeyObject/);
  });

  it('refuses an unreadable certificate or key', () => {
    refuses(() => loadVerificationKey('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', 'certs["A"]'), /not a readable X\.509 certificate or public key/);
    refuses(() => loadVerificationKey(Buffer.from('nonsense'), 'certs["A"]'), /not a readable/);
    refuses(() => loadVerificationKey(undefined, 'certs["A"]'), /expected a certificate or public key/);
  });
});
