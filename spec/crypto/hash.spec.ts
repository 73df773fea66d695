import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { ErrorCode, Hash, OptionError } from '../../lib';
import { opensslDigest, opensslHash } from '../support/openssl';

const inputs: Array<[string, string | Buffer]> = [
  ['the empty string', ''],
  ['"abc"', 'abc'],
  ['an APIv2 string to sign', 'appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA&key=192006250b4c09247ec02edce69f6a2d'],
  ['UTF-8 Chinese text with line breaks', '微信支付\n商户平台\r\n账单 ✓'],
  ['a Buffer of every byte value', Buffer.from(Array.from({ length: 256 }, (_, i) => i))],
];

const algorithms = ['md5', 'sha1', 'sha256'] as const;

function refuses(run: () => unknown, name: string, pattern?: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof OptionError, `expected an OptionError, got ${inspect(error)}`);
    assert.equal(error.code, ErrorCode.INVALID_ARGUMENT);
    assert.ok(error.message.startsWith(`${name}: `), `"${error.message}" names ${name}`);
    if (pattern) assert.match(error.message, pattern);
    return true;
  });
}

describe('Hash digests', () => {
  for (const algorithm of algorithms) {
    it(`computes ${algorithm} as openssl dgst -${algorithm} does, in lower-case hex`, () => {
      for (const [, input] of inputs) {
        const digest = Hash[algorithm](input);
        assert.match(digest, /^[0-9a-f]+$/);
        assert.equal(digest, opensslHash(input, algorithm));
      }
    });
  }

  it('gives the well-known digests of "" and "abc"', () => {
    assert.equal(Hash.md5(''), 'd41d8cd98f00b204e9800998ecf8427e');
    assert.equal(Hash.md5('abc'), '900150983cd24fb0d6963f7d28e17f72');
    assert.equal(Hash.sha1(''), 'da39a3ee5e6b4b0d3255bfef95601890afd80709');
    assert.equal(Hash.sha1('abc'), 'a9993e364706816aba3e25717850c26c9cd0d89d');
    assert.equal(Hash.sha256(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(Hash.sha256('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('digests a string as its UTF-8 bytes', () => {
    for (const algorithm of algorithms) assert.equal(Hash[algorithm]('微信支付'), Hash[algorithm](Buffer.from('微信支付', 'utf8')));
  });

  it('gives the APIv2 documentation example its published MD5 signature', () => {
    assert.equal(Hash.md5(inputs[2][1]).toUpperCase(), '9A0A8659F005D6984697E2CA0A9CF3B7');
  });
});

describe('Hash.hmacSha256', () => {
  const keys = ['192006250b4c09247ec02edce69f6a2d', 'Jefe', '微信支付密钥'];

  it('computes HMAC-SHA256 as openssl dgst -sha256 -hmac does, in lower-case hex', () => {
    for (const key of keys) {
      for (const [, input] of inputs) assert.equal(Hash.hmacSha256(input, key), opensslDigest(input, key));
    }
  });

  it('gives RFC 4231 test case 2', () => {
    assert.equal(Hash.hmacSha256('what do ya want for nothing?', 'Jefe'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('gives the APIv2 documentation example its published HMAC-SHA256 signature', () => {
    assert.equal(Hash.hmacSha256(inputs[2][1], '192006250b4c09247ec02edce69f6a2d').toUpperCase(), '6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6');
  });

  it('takes the key as a string or as its UTF-8 bytes', () => {
    assert.equal(Hash.hmacSha256('m', Buffer.from('微信支付密钥')), Hash.hmacSha256('m', '微信支付密钥'));
  });

  it('refuses an empty key, naming it', () => {
    for (const key of ['', Buffer.alloc(0)]) refuses(() => Hash.hmacSha256('m', key), 'Hash.hmacSha256: key', /is empty/);
  });
});

describe('Hash.equals', () => {
  const signature = '9A0A8659F005D6984697E2CA0A9CF3B7';

  it('is true for the same text, as strings or as bytes', () => {
    assert.equal(Hash.equals(signature, signature), true);
    assert.equal(Hash.equals(signature, Buffer.from(signature)), true);
    assert.equal(Hash.equals('', ''), true);
    assert.equal(Hash.equals('微信', Buffer.from('微信')), true);
  });

  it('is false when any one character differs, including only by case', () => {
    assert.equal(Hash.equals(signature, `${signature.slice(0, -1)}8`), false);
    assert.equal(Hash.equals(signature, `0${signature.slice(1)}`), false);
    assert.equal(Hash.equals(signature, signature.toLowerCase()), false);
  });

  it('is false for inputs of different lengths, without throwing', () => {
    assert.equal(Hash.equals(signature, signature.slice(0, -1)), false);
    assert.equal(Hash.equals(signature, `${signature}0`), false);
    assert.equal(Hash.equals('', 'a'), false);
    assert.equal(Hash.equals('a', Buffer.alloc(0)), false);
  });
});

describe('Hash argument checks', () => {
  const calls: Array<[string, (value: never) => unknown]> = [
    ['Hash.md5: data', (value) => Hash.md5(value)],
    ['Hash.sha1: data', (value) => Hash.sha1(value)],
    ['Hash.sha256: data', (value) => Hash.sha256(value)],
    ['Hash.hmacSha256: data', (value) => Hash.hmacSha256(value, 'key')],
    ['Hash.hmacSha256: key', (value) => Hash.hmacSha256('m', value)],
    ['Hash.equals: a', (value) => Hash.equals(value, 'b')],
    ['Hash.equals: b', (value) => Hash.equals('a', value)],
  ];

  for (const [name, call] of calls) {
    it(`refuses a number, null, undefined, an object or an array as ${name}, naming it`, () => {
      for (const value of [42, null, undefined, {}, []]) refuses(() => call(value as never), name, /expected a string or a Buffer/);
    });
  }

  it('refuses input just over 16 MiB, naming it', () => {
    const huge = Buffer.alloc(16 * 1024 * 1024 + 1);
    for (const [name, call] of calls) refuses(() => call(huge as never), name, /is 16777217 bytes, over the 16777216-byte limit/);
  });
});
