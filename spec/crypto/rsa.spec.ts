import assert from 'node:assert/strict';
import { constants, createPublicKey, generateKeyPairSync, privateDecrypt, publicEncrypt, sign, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { DecryptionError, ErrorCode, Rsa, type KeyInput, type RsaPadding } from '../../lib';
import { opensslDecryptsOaep, opensslEncryptsOaep, opensslIssuesCertificate, opensslSigns, opensslVerifies } from '../support/openssl';
import { refuses, thrownBy } from '../support/assertions';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });

const pem = {
  pkcs1: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  pkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  spki: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  pkcs1Public: publicKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
};
const der = {
  pkcs1: privateKey.export({ type: 'pkcs1', format: 'der' }),
  pkcs8: privateKey.export({ type: 'pkcs8', format: 'der' }),
  spki: publicKey.export({ type: 'spki', format: 'der' }),
  pkcs1Public: publicKey.export({ type: 'pkcs1', format: 'der' }),
};
// Issued by the openssl CLI for our own key pair, so what the certificate encrypts our private key decrypts.
const certificatePem = opensslIssuesCertificate(pem.pkcs8);
const certificateDer = new X509Certificate(certificatePem).raw;

const dir = mkdtempSync(join(tmpdir(), 'wechatpay-rsa-'));
function fileUrl(name: string, content: string | Buffer): string {
  writeFileSync(join(dir, name), content);
  return pathToFileURL(join(dir, name)).href;
}

const privateForms: Array<[string, KeyInput]> = [
  ['PKCS#1 PEM', pem.pkcs1],
  ['PKCS#8 PEM', pem.pkcs8],
  ['PKCS#8 PEM with Windows line endings', pem.pkcs8.replace(/\n/g, '\r\n')],
  ['bare base64 of the PKCS#1 DER', der.pkcs1.toString('base64')],
  ['bare base64 of the PKCS#8 DER', der.pkcs8.toString('base64')],
  ['bare base64 of the PKCS#8 DER wrapped at 64 columns', der.pkcs8.toString('base64').replace(/.{64}/g, '$&\n')],
  ['a Buffer of PKCS#1 PEM', Buffer.from(pem.pkcs1)],
  ['a Buffer of PKCS#8 DER', der.pkcs8],
  ['a Buffer of PKCS#1 DER', der.pkcs1],
  ['a file:// URL to PKCS#8 PEM', fileUrl('apiclient_key.pem', pem.pkcs8)],
  ['a file:// URL to PKCS#1 DER', fileUrl('apiclient_key.der', der.pkcs1)],
  ['a KeyObject', privateKey],
];

const publicForms: Array<[string, KeyInput]> = [
  ['SPKI PEM', pem.spki],
  ['PKCS#1 public PEM', pem.pkcs1Public],
  ['bare base64 of the SPKI DER', der.spki.toString('base64')],
  ['bare base64 of the PKCS#1 public DER', der.pkcs1Public.toString('base64')],
  ['an X.509 certificate in PEM', certificatePem],
  ['bare base64 of an X.509 certificate', certificateDer.toString('base64')],
  ['a Buffer of SPKI DER', der.spki],
  ['a Buffer of an X.509 certificate in DER', certificateDer],
  ['a Buffer of an X.509 certificate in PEM', Buffer.from(certificatePem)],
  ['a file:// URL to an X.509 certificate', fileUrl('wechatpay_platform.pem', certificatePem)],
  ['a file:// URL to SPKI PEM', fileUrl('pub_key.pem', pem.spki)],
  ['a public KeyObject', publicKey],
  ['a private KeyObject (its public half)', privateKey],
];

after(() => rmSync(dir, { recursive: true, force: true }));

function failsToDecrypt(run: () => unknown): DecryptionError {
  const error = thrownBy(run);
  assert.ok(error instanceof DecryptionError, `expected a DecryptionError, got ${inspect(error)}`);
  assert.equal(error.code, ErrorCode.DECRYPTION_FAILED);
  return error;
}

/** Slices of every private key encoding: none may show up in an error, however it is printed. */
const keyMaterial = [pem.pkcs1, pem.pkcs8].map((text) => text.split('\n')[5]).concat([der.pkcs1, der.pkcs8, stranger.privateKey.export({ type: 'pkcs8', format: 'der' })].map((bytes) => bytes.toString('base64').slice(200, 240)));

function leaksNothing(error: unknown, ...secrets: string[]): void {
  for (const view of [error instanceof Error ? error.message : String(error), JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })]) {
    assert.doesNotMatch(view, /BEGIN [A-Z ]*PRIVATE KEY/);
    for (const secret of [...keyMaterial, ...secrets]) assert.equal(view.includes(secret), false, `an error shows ${secret.slice(0, 16)}…`);
  }
}

function flipBit(base64: string, byte = 0): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[byte] ^= 0x01;
  return bytes.toString('base64');
}

const messages: Array<[string, string | Buffer]> = [
  ['an empty message', ''],
  ['an APIv3 request message', 'POST\n/v3/pay/transactions/jsapi\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n{"appid":"wxd678efh567hg6787"}\n'],
  ['a UTF-8 Chinese message', '微信支付 商户号 1900009191\n'],
  ['a Buffer of every byte value', Buffer.from(Array.from({ length: 256 }, (_, i) => i))],
];

describe('Rsa key forms', () => {
  for (const [form, key] of privateForms) {
    it(`loads a private key given as ${form}, and signs and decrypts with it`, () => {
      const loaded = Rsa.fromPrivate(key);
      assert.equal(loaded.type, 'private');
      assert.deepEqual(loaded.export({ type: 'pkcs8', format: 'der' }), der.pkcs8);
      assert.ok(verify('sha256', Buffer.from('m'), publicKey, Buffer.from(Rsa.sign('m', key), 'base64')));
      const ciphertext = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from('13800138000'));
      assert.equal(Rsa.decrypt(ciphertext.toString('base64'), key), '13800138000');
    });
  }

  for (const [form, key] of publicForms) {
    it(`loads a public key given as ${form}, and verifies and encrypts with it`, () => {
      const loaded = Rsa.fromPublic(key);
      assert.deepEqual((loaded.type === 'private' ? createPublicKey(loaded) : loaded).export({ type: 'spki', format: 'der' }), der.spki);
      assert.equal(Rsa.verify('m', sign('sha256', Buffer.from('m'), privateKey).toString('base64'), key), true);
      const ciphertext = Buffer.from(Rsa.encrypt('13800138000', key), 'base64');
      assert.equal(privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, ciphertext).toString(), '13800138000');
    });
  }

  it('returns a KeyObject it is given as it is, so hot paths parse nothing', () => {
    assert.equal(Rsa.fromPrivate(privateKey), privateKey);
    assert.equal(Rsa.fromPublic(publicKey), publicKey);
  });

  it('refuses a public key or certificate where a private key belongs', () => {
    for (const key of [pem.spki, pem.pkcs1Public, certificatePem, publicKey, der.spki, der.spki.toString('base64')]) refuses(() => Rsa.sign('m', key), 'Rsa.sign: privateKey');
    refuses(() => Rsa.decrypt(Rsa.encrypt('m', publicKey), pem.spki), 'Rsa.decrypt: privateKey', /public key, not a private key/);
  });

  it('refuses private key text or bytes where a public key belongs, in PEM, DER or bare base64 alike', () => {
    const privateText = [pem.pkcs8, pem.pkcs1, der.pkcs8, der.pkcs1, der.pkcs8.toString('base64'), der.pkcs1.toString('base64')];
    for (const key of privateText) {
      refuses(() => Rsa.verify('m', 'AAAA', key), 'Rsa.verify: publicKey', /holds a private key/);
      refuses(() => Rsa.encrypt('m', key), 'Rsa.encrypt: publicKey', /holds a private key/);
      refuses(() => Rsa.fromPublic(key), 'Rsa.fromPublic: key', /holds a private key/);
    }
  });

  it('refuses empty keys, naming the argument', () => {
    for (const empty of ['', Buffer.alloc(0)]) {
      refuses(() => Rsa.fromPrivate(empty), 'Rsa.fromPrivate: key', /is empty/);
      refuses(() => Rsa.fromPublic(empty), 'Rsa.fromPublic: key', /is empty/);
      refuses(() => Rsa.sign('m', empty), 'Rsa.sign: privateKey', /is empty/);
      refuses(() => Rsa.verify('m', 'AAAA', empty), 'Rsa.verify: publicKey', /is empty/);
      refuses(() => Rsa.encrypt('m', empty), 'Rsa.encrypt: publicKey', /is empty/);
      refuses(() => Rsa.decrypt('AAAA', empty), 'Rsa.decrypt: privateKey', /is empty/);
    }
  });

  it('refuses malformed PEM and malformed base64 keys, naming the argument and never echoing them', () => {
    const broken = [
      '-----BEGIN PRIVATE KEY-----\nMIIBroken\n-----END PRIVATE KEY-----\n',
      pem.pkcs8.replace(/\n(.)/, '\n!$1'),
      pem.pkcs8.slice(0, 400),
      'not a key at all',
      der.pkcs8.toString('base64').slice(0, 400),
      Buffer.from('definitely not DER'),
    ];
    for (const key of broken) leaksNothing(refuses(() => Rsa.sign('m', key), 'Rsa.sign: privateKey'));
    for (const key of ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', pem.spki.slice(0, 200), 'not a key at all', der.spki.toString('base64').slice(0, 100)]) {
      refuses(() => Rsa.verify('m', 'AAAA', key), 'Rsa.verify: publicKey');
    }
  });

  it('refuses a key file that does not exist, naming the argument and the file', () => {
    refuses(() => Rsa.fromPrivate(pathToFileURL(join(dir, 'missing.pem')).href), 'Rsa.fromPrivate: key', /missing\.pem \(ENOENT\)/);
  });

  it('refuses a key of over 64 KiB before parsing it', () => {
    refuses(() => Rsa.fromPrivate(`${pem.pkcs8}${' '.repeat(64 * 1024)}`), 'Rsa.fromPrivate: key', /bytes; no key or certificate is larger/);
  });

  it('refuses a non-RSA key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    refuses(() => Rsa.sign('m', ec.privateKey), 'Rsa.sign: privateKey', /RSA/);
    refuses(() => Rsa.sign('m', ec.privateKey.export({ type: 'pkcs8', format: 'pem' })), 'Rsa.sign: privateKey', /expected an RSA key, got ec/);
    refuses(() => Rsa.verify('m', 'AAAA', ec.publicKey), 'Rsa.verify: publicKey', /RSA/);
  });
});

describe('Rsa.sign and Rsa.verify', () => {
  for (const [what, message] of messages) {
    it(`signs ${what} exactly as openssl dgst -sha256 -sign does, and openssl verifies it`, () => {
      const signature = Rsa.sign(message, pem.pkcs8);
      assert.equal(signature, opensslSigns(message, pem.pkcs1));
      assert.equal(opensslVerifies(message, signature, pem.spki), true);
    });
  }

  it('verifies a signature made by openssl, with the certificate or the bare public key', () => {
    const message = messages[1][1];
    const signature = opensslSigns(message, pem.pkcs8);
    for (const key of [certificatePem, pem.spki, publicKey]) assert.equal(Rsa.verify(message, signature, key), true);
  });

  it('treats a string message and the Buffer of its UTF-8 bytes as the same message', () => {
    const signature = Rsa.sign('微信支付', privateKey);
    assert.equal(Rsa.sign(Buffer.from('微信支付'), privateKey), signature);
    assert.equal(Rsa.verify(Buffer.from('微信支付'), signature, publicKey), true);
  });

  it('rejects a signature with any one bit flipped', () => {
    const message = messages[1][1];
    const signature = opensslSigns(message, pem.pkcs8);
    for (const byte of [0, 127, 255]) assert.equal(Rsa.verify(message, flipBit(signature, byte), publicKey), false);
  });

  it('rejects a signature of another message, by another key, or cut short', () => {
    const signature = Rsa.sign('amount=100', privateKey);
    assert.equal(Rsa.verify('amount=101', signature, publicKey), false);
    assert.equal(Rsa.verify('amount=100', signature, stranger.publicKey), false);
    assert.equal(Rsa.verify('amount=100', Buffer.from(signature, 'base64').subarray(0, 255).toString('base64'), publicKey), false);
  });

  it('refuses a malformed base64 signature instead of answering false, naming the argument', () => {
    for (const signature of ['', 'not base64!', 'AAA', 'AA AA', 'AAAA\n', 'AA=A', '====']) {
      refuses(() => Rsa.verify('m', signature, publicKey), 'Rsa.verify: signature');
    }
  });
});

describe('Rsa.encrypt and Rsa.decrypt', () => {
  const phone = '13800138000';
  const name = '张三 Zhang San';

  it('encrypts what openssl pkeyutl decrypts with OAEP, SHA-1 and MGF1-SHA-1', () => {
    for (const key of [certificatePem, pem.spki]) {
      assert.equal(opensslDecryptsOaep(Rsa.encrypt(name, key), pem.pkcs8).toString('utf8'), name);
    }
  });

  it('encrypts what node:crypto privateDecrypt recovers with OAEP and SHA-1', () => {
    const ciphertext = Buffer.from(Rsa.encrypt(phone, certificatePem), 'base64');
    assert.equal(ciphertext.length, 256);
    assert.equal(privateDecrypt({ key: pem.pkcs1, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, ciphertext).toString(), phone);
  });

  it('encrypts with fresh randomness: the same plaintext twice gives different ciphertexts', () => {
    assert.notEqual(Rsa.encrypt(phone, publicKey), Rsa.encrypt(phone, publicKey));
  });

  it('decrypts a ciphertext made by openssl pkeyutl -encrypt with OAEP and SHA-1', () => {
    for (const key of [certificatePem, pem.spki]) assert.equal(Rsa.decrypt(opensslEncryptsOaep(name, key), pem.pkcs1), name);
  });

  it('decrypts an empty plaintext and one of exactly 214 bytes', () => {
    for (const plaintext of ['', 'x'.repeat(214), `${'中'.repeat(71)}x`]) {
      assert.equal(Rsa.decrypt(Rsa.encrypt(plaintext, publicKey), privateKey), plaintext);
    }
  });

  it('refuses a plaintext over the 214 bytes RSA-OAEP (SHA-1) leaves on a 2048-bit key, counting UTF-8 bytes', () => {
    const error = refuses(() => Rsa.encrypt('x'.repeat(215), publicKey), 'Rsa.encrypt: plaintext', /is 215 bytes; RSA-OAEP on this key takes at most 214/);
    leaksNothing(error, 'x'.repeat(32));
    refuses(() => Rsa.encrypt('中'.repeat(72), publicKey), 'Rsa.encrypt: plaintext', /is 216 bytes/);
  });

  it('takes explicit OAEP padding', () => {
    assert.equal(Rsa.decrypt(Rsa.encrypt(phone, publicKey, 'OAEP'), privateKey, 'OAEP'), phone);
  });

  it('refuses PKCS#1 v1.5 encryption and decryption with a message that points to OAEP', () => {
    for (const padding of ['PKCS1', constants.RSA_PKCS1_PADDING]) {
      refuses(() => Rsa.encrypt(phone, publicKey, padding as unknown as RsaPadding), 'Rsa.encrypt: padding', /PKCS#1 v1\.5 .*OAEP/);
      refuses(() => Rsa.decrypt('AAAA', privateKey, padding as unknown as RsaPadding), 'Rsa.decrypt: padding', /PKCS#1 v1\.5 .*OAEP/);
    }
  });

  it('refuses an unknown padding, naming the one it takes', () => {
    for (const padding of ['NONE', 'oaep', constants.RSA_NO_PADDING]) {
      refuses(() => Rsa.encrypt(phone, publicKey, padding as unknown as RsaPadding), 'Rsa.encrypt: padding', /only 'OAEP'/);
    }
  });

  it('fails with DecryptionError under the wrong private key, never returning garbage', () => {
    const ciphertext = Rsa.encrypt(phone, publicKey);
    const error = failsToDecrypt(() => Rsa.decrypt(ciphertext, stranger.privateKey));
    assert.match(error.message, /^Rsa\.decrypt: /);
    leaksNothing(error, phone);
  });

  it('fails with DecryptionError for an altered ciphertext, or one of the wrong length', () => {
    const ciphertext = Rsa.encrypt(phone, publicKey);
    for (const byte of [0, 128, 255]) failsToDecrypt(() => Rsa.decrypt(flipBit(ciphertext, byte), privateKey));
    // One byte short: the last one dropped (dropping the first would change nothing when it is 0x00, one run in 256).
    failsToDecrypt(() => Rsa.decrypt(Buffer.from(ciphertext, 'base64').subarray(0, -1).toString('base64'), privateKey));
    failsToDecrypt(() => Rsa.decrypt(Buffer.alloc(16, 1).toString('base64'), privateKey));
  });

  it('refuses a malformed base64 ciphertext, naming the argument', () => {
    for (const ciphertext of ['', 'not base64!', 'AAA', 'AA AA', `${Rsa.encrypt(phone, publicKey)}\n`, 'A===']) {
      refuses(() => Rsa.decrypt(ciphertext, privateKey), 'Rsa.decrypt: ciphertext');
    }
  });
});

describe('Rsa argument checks', () => {
  const signature = sign('sha256', Buffer.from('m'), privateKey).toString('base64');
  const ciphertext = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from('m')).toString('base64');
  const wrongTypes: Array<[string, unknown]> = [
    ['a number', 42],
    ['null', null],
    ['an object', {}],
    ['an array', []],
  ];
  const calls: Array<[string, (value: never) => unknown]> = [
    ['Rsa.fromPrivate: key', (value) => Rsa.fromPrivate(value)],
    ['Rsa.fromPublic: key', (value) => Rsa.fromPublic(value)],
    ['Rsa.sign: message', (value) => Rsa.sign(value, privateKey)],
    ['Rsa.sign: privateKey', (value) => Rsa.sign('m', value)],
    ['Rsa.verify: message', (value) => Rsa.verify(value, signature, publicKey)],
    ['Rsa.verify: signature', (value) => Rsa.verify('m', value, publicKey)],
    ['Rsa.verify: publicKey', (value) => Rsa.verify('m', signature, value)],
    ['Rsa.encrypt: plaintext', (value) => Rsa.encrypt(value, publicKey)],
    ['Rsa.encrypt: publicKey', (value) => Rsa.encrypt('m', value)],
    ['Rsa.encrypt: padding', (value) => Rsa.encrypt('m', publicKey, value)],
    ['Rsa.decrypt: ciphertext', (value) => Rsa.decrypt(value, privateKey)],
    ['Rsa.decrypt: privateKey', (value) => Rsa.decrypt(ciphertext, value)],
    ['Rsa.decrypt: padding', (value) => Rsa.decrypt(ciphertext, privateKey, value)],
  ];

  for (const [name, call] of calls) {
    it(`refuses a number, null, an object or an array as ${name} with an OptionError naming it`, () => {
      for (const [, value] of wrongTypes) refuses(() => call(value as never), name);
    });
  }

  it('refuses a missing required argument, naming it', () => {
    for (const [name, call] of calls.filter(([name]) => !name.endsWith('padding'))) refuses(() => call(undefined as never), name);
  });

  it('refuses a message or plaintext over 16 MiB, naming it', () => {
    const huge = Buffer.alloc(16 * 1024 * 1024 + 1);
    refuses(() => Rsa.sign(huge, privateKey), 'Rsa.sign: message', /over the 16777216-byte limit/);
    refuses(() => Rsa.verify(huge, signature, publicKey), 'Rsa.verify: message', /over the 16777216-byte limit/);
    refuses(() => Rsa.encrypt(huge, publicKey), 'Rsa.encrypt: plaintext', /over the 16777216-byte limit/);
  });

  it('keeps key material out of every error, whether read as message, JSON or util.inspect', () => {
    const failures = [
      () => Rsa.verify('m', signature, pem.pkcs8),
      () => Rsa.verify('m', signature, der.pkcs1.toString('base64')),
      () => Rsa.encrypt('m', pem.pkcs1),
      () => Rsa.sign('m', pem.pkcs8.replace(/\n(.)/, '\n!$1')),
      () => Rsa.sign('m', der.pkcs8.toString('base64').slice(0, 600)),
      () => Rsa.sign('m', der.pkcs8.subarray(0, 600)),
      () => Rsa.decrypt(ciphertext, stranger.privateKey),
      () => Rsa.decrypt(ciphertext, stranger.privateKey.export({ type: 'pkcs8', format: 'pem' })),
      () => Rsa.decrypt(ciphertext, privateKey, 'PKCS1' as unknown as RsaPadding),
    ];
    for (const failure of failures) leaksNothing(thrownBy(failure));
  });
});
