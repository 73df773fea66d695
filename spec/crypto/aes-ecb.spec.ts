import assert from 'node:assert/strict';
import { createDecipheriv, createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { AesEcb, DecryptionError, ErrorCode } from '../../lib';
import { opensslDecryptsEcb, opensslEncryptsEcb } from '../support/openssl';
import { refuses, thrownBy } from '../support/assertions';

/** The req_info key is the lower-case hex MD5 of the APIv2 secret: 32 ASCII characters, used as the 32 key bytes. */
const SECRET = '192006250b4c09247ec02edce69f6a2d';
const KEY = createHash('md5').update(SECRET).digest('hex');
const KEY_BYTES = Buffer.from(KEY, 'utf8');
/** Another merchant's key; checked to leave these test plaintexts with broken padding. */
const WRONG_KEY = createHash('md5').update('00000000000000000000000000000000').digest('hex');

const REQ_INFO = [
  '<root>',
  '<out_refund_no><![CDATA[131811191610442717309]]></out_refund_no>',
  '<out_trade_no><![CDATA[71106718111915575302817]]></out_trade_no>',
  '<refund_fee><![CDATA[3960]]></refund_fee>',
  '<refund_id><![CDATA[50000408942018111907145868882]]></refund_id>',
  '<refund_recv_accout><![CDATA[支付用户零钱]]></refund_recv_accout>',
  '<refund_status><![CDATA[SUCCESS]]></refund_status>',
  '<success_time><![CDATA[2018-11-19 16:24:13]]></success_time>',
  '</root>',
].join('\n');

/** Plaintexts around the block size: PKCS#7 always adds 1 to 16 bytes. */
const plaintexts: Array<[string, string]> = [
  ['an empty plaintext', ''],
  ['a 1-byte plaintext', 'a'],
  ['a 15-byte plaintext', 'x'.repeat(15)],
  ['a 16-byte plaintext', 'y'.repeat(16)],
  ['a 17-byte plaintext', 'z'.repeat(17)],
  ['a refund req_info with Chinese text', REQ_INFO],
];

/** The decrypted bytes with the padding left on. */
function unpaddedDecrypt(ciphertext: string): Buffer {
  const decipher = createDecipheriv('aes-256-ecb', KEY_BYTES, null).setAutoPadding(false);
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]);
}

describe('AesEcb', () => {
  for (const [what, plaintext] of plaintexts) {
    it(`encrypts ${what} exactly as openssl enc -aes-256-ecb does, and openssl decrypts it`, () => {
      const ciphertext = AesEcb.encrypt(plaintext, KEY);
      assert.equal(ciphertext, opensslEncryptsEcb(plaintext, KEY_BYTES));
      assert.equal(opensslDecryptsEcb(ciphertext, KEY_BYTES).toString('utf8'), plaintext);
    });

    it(`decrypts ${what} encrypted by openssl enc -aes-256-ecb`, () => {
      assert.equal(AesEcb.decrypt(opensslEncryptsEcb(plaintext, KEY_BYTES), KEY), plaintext);
    });
  }

  it('pads with PKCS#7: n bytes of value n, a whole block when the plaintext fills its last one', () => {
    assert.deepEqual(unpaddedDecrypt(AesEcb.encrypt('a', KEY)), Buffer.concat([Buffer.from('a'), Buffer.alloc(15, 15)]));
    assert.deepEqual(unpaddedDecrypt(AesEcb.encrypt('y'.repeat(16), KEY)), Buffer.concat([Buffer.from('y'.repeat(16)), Buffer.alloc(16, 16)]));
    assert.deepEqual(unpaddedDecrypt(AesEcb.encrypt('', KEY)), Buffer.alloc(16, 16));
  });

  it('takes the key as a string or as its bytes, and the plaintext as a string or a Buffer', () => {
    const ciphertext = AesEcb.encrypt(REQ_INFO, KEY);
    assert.equal(AesEcb.encrypt(Buffer.from(REQ_INFO), KEY_BYTES), ciphertext);
    assert.equal(AesEcb.decrypt(ciphertext, KEY_BYTES), REQ_INFO);
  });

  it('fails with DecryptionError under another key, the padding no longer valid', () => {
    for (const [, plaintext] of plaintexts) {
      const error = thrownBy(() => AesEcb.decrypt(AesEcb.encrypt(plaintext, KEY), WRONG_KEY));
      assert.ok(error instanceof DecryptionError, `expected a DecryptionError, got ${inspect(error)}`);
      assert.equal(error.code, ErrorCode.DECRYPTION_FAILED);
      assert.match(error.message, /^AesEcb\.decrypt: /);
      for (const view of [error.message, JSON.stringify(error), inspect(error, { showHidden: true })]) {
        assert.equal(view.includes(KEY) || view.includes(WRONG_KEY), false);
      }
    }
  });

  it('refuses a ciphertext that is not a whole number of 16-byte blocks, naming it', () => {
    const ciphertext = Buffer.from(AesEcb.encrypt(REQ_INFO, KEY), 'base64');
    for (const length of [1, 15, 17, ciphertext.length - 1]) {
      refuses(() => AesEcb.decrypt(ciphertext.subarray(0, length).toString('base64'), KEY), 'AesEcb.decrypt: ciphertext', new RegExp(`is ${length} bytes, not a whole number of 16-byte blocks`));
    }
  });

  it('refuses a key that is not 32 bytes, naming it', () => {
    for (const key of ['', KEY.slice(1), `${KEY}0`, KEY.toUpperCase().slice(0, 16), Buffer.alloc(31), Buffer.alloc(33), SECRET.replace('0', '零')]) {
      refuses(() => AesEcb.encrypt('m', key), 'AesEcb.encrypt: key', /must be 32 bytes/);
      refuses(() => AesEcb.decrypt('AAAAAAAAAAAAAAAAAAAAAA==', key), 'AesEcb.decrypt: key', /must be 32 bytes/);
    }
  });

  it('refuses a ciphertext that is not strict base64, naming it', () => {
    const ciphertext = AesEcb.encrypt(REQ_INFO, KEY);
    for (const text of ['', 'not base64!', ciphertext.slice(1), `${ciphertext}\r\n`, ciphertext.replace(/.{16}/, '$&\n')]) {
      refuses(() => AesEcb.decrypt(text, KEY), 'AesEcb.decrypt: ciphertext');
    }
  });

  const calls: Array<[string, (value: never) => unknown]> = [
    ['AesEcb.encrypt: plaintext', (value) => AesEcb.encrypt(value, KEY)],
    ['AesEcb.encrypt: key', (value) => AesEcb.encrypt('m', value)],
    ['AesEcb.decrypt: ciphertext', (value) => AesEcb.decrypt(value, KEY)],
    ['AesEcb.decrypt: key', (value) => AesEcb.decrypt('AAAAAAAAAAAAAAAAAAAAAA==', value)],
  ];
  for (const [name, call] of calls) {
    it(`refuses a number, null, undefined, an object or an array as ${name}, naming it`, () => {
      for (const value of [42, null, undefined, {}, []]) refuses(() => call(value as never), name, /expected a (base64 )?string/);
    });
  }

  it('refuses a plaintext or ciphertext just over 16 MiB, naming it', () => {
    const huge = Buffer.alloc(16 * 1024 * 1024 + 16);
    refuses(() => AesEcb.encrypt(huge, KEY), 'AesEcb.encrypt: plaintext', /over the 16777216-byte limit/);
    refuses(() => AesEcb.decrypt(huge.toString('base64'), KEY), 'AesEcb.decrypt: ciphertext', /over the 16777216-byte limit/);
  });
});
