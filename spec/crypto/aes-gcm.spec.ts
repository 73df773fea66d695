import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { AesGcm, DecryptionError, ErrorCode } from '../../lib';
import { refuses, thrownBy } from '../support/assertions';

// `openssl enc` refuses AEAD ciphers ("enc: AEAD ciphers not supported"), so GCM is cross-checked
// against node:crypto calls written here and the GCM specification's own test vectors instead.

const hex = (text: string): Buffer => Buffer.from(text, 'hex');

/** A notification as the gateway encrypts it: the APIv3 key, nonce and associated data are ASCII strings. */
const APIV3_KEY = 'a7cde1ab4fd1b5f3e8c2d9b0a6f47e21';
const NONCE = 'fdasflkja484w';
const AAD = 'transaction';
const RESOURCE = JSON.stringify({ mchid: '1900009191', out_trade_no: '1217752501201407033233368018', trade_state: 'SUCCESS', payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }, attach: '自定义数据' });
const MIB16 = 16 * 1024 * 1024;

/** AES-256-GCM by node:crypto directly: base64 of data ‖ 16-byte tag. */
function nodeEncrypt(plaintext: Buffer, key: Buffer, iv: Buffer, aad: Buffer): string {
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]).toString('base64');
}

function nodeDecrypt(ciphertext: string, key: Buffer, iv: Buffer, aad: Buffer): Buffer {
  const bytes = Buffer.from(ciphertext, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(aad);
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]);
}

/** Expects a DecryptionError that shows neither the key nor the plaintext. */
function failsToDecrypt(run: () => unknown): void {
  const error = thrownBy(run);
  assert.ok(error instanceof DecryptionError, `expected a DecryptionError, got ${inspect(error)}`);
  assert.equal(error.code, ErrorCode.DECRYPTION_FAILED);
  for (const view of [error.message, JSON.stringify(error), inspect(error, { showHidden: true })]) {
    assert.equal(view.includes(APIV3_KEY), false);
    assert.equal(view.includes('SUCCESS'), false);
  }
}

function flipBit(base64: string, byte: number): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[byte] ^= 0x80;
  return bytes.toString('base64');
}

function cut(base64: string, bytes: number): string {
  const raw = Buffer.from(base64, 'base64');
  return raw.subarray(0, raw.length - bytes).toString('base64');
}

describe('AesGcm', () => {
  const ciphertext = AesGcm.encrypt(RESOURCE, APIV3_KEY, NONCE, AAD);

  it('decrypts what it encrypts, with strings or Buffers, with or without associated data', () => {
    assert.equal(AesGcm.decrypt(ciphertext, APIV3_KEY, NONCE, AAD), RESOURCE);
    const asBytes = AesGcm.encrypt(Buffer.from(RESOURCE), Buffer.from(APIV3_KEY), Buffer.from(NONCE), Buffer.from(AAD));
    assert.equal(asBytes, ciphertext);
    assert.equal(AesGcm.decrypt(asBytes, Buffer.from(APIV3_KEY), Buffer.from(NONCE), Buffer.from(AAD)), RESOURCE);
    const withoutAad = AesGcm.encrypt(RESOURCE, APIV3_KEY, NONCE);
    assert.equal(withoutAad, AesGcm.encrypt(RESOURCE, APIV3_KEY, NONCE, ''));
    assert.equal(AesGcm.decrypt(withoutAad, APIV3_KEY, NONCE), RESOURCE);
    assert.equal(AesGcm.decrypt(AesGcm.encrypt('', APIV3_KEY, NONCE, AAD), APIV3_KEY, NONCE, AAD), '');
  });

  it('encrypts exactly as node:crypto createCipheriv does, the 16-byte tag appended, key, nonce and aad as UTF-8', () => {
    const expected = nodeEncrypt(Buffer.from(RESOURCE), Buffer.from(APIV3_KEY), Buffer.from(NONCE), Buffer.from(AAD));
    assert.equal(ciphertext, expected);
    assert.equal(Buffer.from(ciphertext, 'base64').length, Buffer.byteLength(RESOURCE) + 16);
    assert.deepEqual(nodeDecrypt(ciphertext, Buffer.from(APIV3_KEY), Buffer.from(NONCE), Buffer.from(AAD)), Buffer.from(RESOURCE));
  });

  it('decrypts what node:crypto createCipheriv makes', () => {
    const made = nodeEncrypt(Buffer.from('微信支付通知'), Buffer.from(APIV3_KEY), Buffer.from('a 12-byte iv'), Buffer.from('certificate'));
    assert.equal(AesGcm.decrypt(made, APIV3_KEY, 'a 12-byte iv', 'certificate'), '微信支付通知');
  });

  it('matches the GCM specification test cases 13 and 14 (256-bit zero key, 96-bit zero IV)', () => {
    const zeroKey = Buffer.alloc(32);
    const zeroIv = Buffer.alloc(12);
    const tc13 = hex('530f8afbc74536b9a963b4f1c4cb738b').toString('base64');
    const tc14 = hex('cea7403d4d606b6e074ec5d3baf39d18' + 'd0d1c8a799996bf0265b98b5d48ab919').toString('base64');
    assert.equal(AesGcm.encrypt(Buffer.alloc(0), zeroKey, zeroIv), tc13);
    assert.equal(AesGcm.decrypt(tc13, zeroKey, zeroIv), '');
    assert.equal(AesGcm.encrypt(Buffer.alloc(16), zeroKey, zeroIv), tc14);
    assert.equal(AesGcm.decrypt(tc14, zeroKey, zeroIv), '\u0000'.repeat(16));
  });

  it('matches the GCM specification test case 16 (256-bit key, 96-bit IV, associated data)', () => {
    const key = hex('feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308');
    const iv = hex('cafebabefacedbaddecaf888');
    const aad = hex('feedfacedeadbeeffeedfacedeadbeefabaddad2');
    const plaintext = hex('d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39');
    const expected = hex(
      '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662' + '76fc6ece0f4e1768cddf8853bb2d551b',
    ).toString('base64');
    assert.equal(AesGcm.encrypt(plaintext, key, iv, aad), expected);
    // decrypt answers UTF-8; this plaintext is binary, so compare it decoded the same way.
    assert.equal(AesGcm.decrypt(expected, key, iv, aad), plaintext.toString('utf8'));
    failsToDecrypt(() => AesGcm.decrypt(flipBit(expected, 75), key, iv, aad));
  });

  it('fails with DecryptionError under a wrong key, nonce or associated data, never returning garbage', () => {
    failsToDecrypt(() => AesGcm.decrypt(ciphertext, APIV3_KEY.replace('a', 'b'), NONCE, AAD));
    failsToDecrypt(() => AesGcm.decrypt(ciphertext, APIV3_KEY, NONCE.replace('f', 'g'), AAD));
    failsToDecrypt(() => AesGcm.decrypt(ciphertext, APIV3_KEY, `${NONCE}0`, AAD));
    failsToDecrypt(() => AesGcm.decrypt(ciphertext, APIV3_KEY, NONCE, 'certificate'));
    failsToDecrypt(() => AesGcm.decrypt(ciphertext, APIV3_KEY, NONCE));
  });

  it('fails with DecryptionError when any bit of the data or the tag is flipped', () => {
    const length = Buffer.from(ciphertext, 'base64').length;
    for (const byte of [0, 1, length - 17, length - 16, length - 1]) failsToDecrypt(() => AesGcm.decrypt(flipBit(ciphertext, byte), APIV3_KEY, NONCE, AAD));
  });

  it('fails with DecryptionError for a tag cut short by one byte, or a byte appended', () => {
    failsToDecrypt(() => AesGcm.decrypt(cut(ciphertext, 1), APIV3_KEY, NONCE, AAD));
    failsToDecrypt(() => AesGcm.decrypt(cut(ciphertext, 15), APIV3_KEY, NONCE, AAD));
    const longer = Buffer.concat([Buffer.from(ciphertext, 'base64'), Buffer.alloc(1)]).toString('base64');
    failsToDecrypt(() => AesGcm.decrypt(longer, APIV3_KEY, NONCE, AAD));
  });

  it('refuses a ciphertext of fewer than 16 bytes, too short to hold the tag, naming it', () => {
    const tagOnly = AesGcm.encrypt('', APIV3_KEY, NONCE, AAD);
    assert.equal(AesGcm.decrypt(tagOnly, APIV3_KEY, NONCE, AAD), '');
    refuses(() => AesGcm.decrypt(cut(tagOnly, 1), APIV3_KEY, NONCE, AAD), 'AesGcm.decrypt: ciphertext', /is 15 bytes, shorter than the 16-byte tag/);
    refuses(() => AesGcm.decrypt('AA==', APIV3_KEY, NONCE, AAD), 'AesGcm.decrypt: ciphertext', /is 1 bytes/);
  });

  it('refuses a key of 31 or 33 bytes, or none, naming it', () => {
    for (const key of [APIV3_KEY.slice(1), `${APIV3_KEY}x`, Buffer.alloc(31), Buffer.alloc(33), '', '中'.repeat(11)]) {
      refuses(() => AesGcm.encrypt('m', key, NONCE, AAD), 'AesGcm.encrypt: key', /must be 32 bytes/);
      refuses(() => AesGcm.decrypt(ciphertext, key, NONCE, AAD), 'AesGcm.decrypt: key', /must be 32 bytes/);
    }
  });

  it('refuses an empty nonce, naming it', () => {
    for (const nonce of ['', Buffer.alloc(0)]) {
      refuses(() => AesGcm.encrypt('m', APIV3_KEY, nonce, AAD), 'AesGcm.encrypt: nonce', /is empty/);
      refuses(() => AesGcm.decrypt(ciphertext, APIV3_KEY, nonce, AAD), 'AesGcm.decrypt: nonce', /is empty/);
    }
  });

  it('refuses a ciphertext that is not strict base64, naming it', () => {
    for (const text of ['', 'not base64!', ciphertext.slice(1), `${ciphertext}\n`, ` ${ciphertext}`, `-_${ciphertext.slice(2)}`]) {
      refuses(() => AesGcm.decrypt(text, APIV3_KEY, NONCE, AAD), 'AesGcm.decrypt: ciphertext');
    }
  });

  const calls: Array<[string, (value: never) => unknown]> = [
    ['AesGcm.encrypt: plaintext', (value) => AesGcm.encrypt(value, APIV3_KEY, NONCE, AAD)],
    ['AesGcm.encrypt: key', (value) => AesGcm.encrypt('m', value, NONCE, AAD)],
    ['AesGcm.encrypt: nonce', (value) => AesGcm.encrypt('m', APIV3_KEY, value, AAD)],
    ['AesGcm.encrypt: aad', (value) => AesGcm.encrypt('m', APIV3_KEY, NONCE, value)],
    ['AesGcm.decrypt: ciphertext', (value) => AesGcm.decrypt(value, APIV3_KEY, NONCE, AAD)],
    ['AesGcm.decrypt: key', (value) => AesGcm.decrypt(ciphertext, value, NONCE, AAD)],
    ['AesGcm.decrypt: nonce', (value) => AesGcm.decrypt(ciphertext, APIV3_KEY, value, AAD)],
    ['AesGcm.decrypt: aad', (value) => AesGcm.decrypt(ciphertext, APIV3_KEY, NONCE, value)],
  ];
  for (const [name, call] of calls) {
    it(`refuses a number, null, an object or an array as ${name}, naming it`, () => {
      for (const value of [42, null, {}, []]) refuses(() => call(value as never), name, /expected a (base64 )?string/);
    });
  }

  it('refuses a plaintext, key, nonce or aad just over 16 MiB, naming it', () => {
    const huge = Buffer.alloc(MIB16 + 1);
    refuses(() => AesGcm.encrypt(huge, APIV3_KEY, NONCE, AAD), 'AesGcm.encrypt: plaintext', /is 16777217 bytes, over the 16777216-byte limit/);
    refuses(() => AesGcm.encrypt('m', huge, NONCE, AAD), 'AesGcm.encrypt: key', /over the 16777216-byte limit/);
    refuses(() => AesGcm.encrypt('m', APIV3_KEY, huge, AAD), 'AesGcm.encrypt: nonce', /over the 16777216-byte limit/);
    refuses(() => AesGcm.encrypt('m', APIV3_KEY, NONCE, huge), 'AesGcm.encrypt: aad', /over the 16777216-byte limit/);
    refuses(() => AesGcm.decrypt(ciphertext, APIV3_KEY, NONCE, huge), 'AesGcm.decrypt: aad', /over the 16777216-byte limit/);
  });

  it('refuses a ciphertext that decodes to just over 16 MiB, naming it, and still tries one of exactly 16 MiB', () => {
    for (const extra of [1, 2, 3, 16]) {
      refuses(() => AesGcm.decrypt(Buffer.alloc(MIB16 + extra).toString('base64'), APIV3_KEY, NONCE, AAD), 'AesGcm.decrypt: ciphertext', /over the 16777216-byte limit/);
    }
    failsToDecrypt(() => AesGcm.decrypt(Buffer.alloc(MIB16).toString('base64'), APIV3_KEY, NONCE, AAD));
  });
});
