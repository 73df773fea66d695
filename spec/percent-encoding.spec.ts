import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { describeFault, isTripletAt, percentEncode, type EncodingFault } from '../lib/percent-encoding';

/** An independent oracle: Node's own UTF-8 encoder, each byte outside the unreserved set as %XX. */
function byBuffer(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function fault(value: string, keep?: 'unreserved' | 'reserved'): EncodingFault {
  const result = percentEncode(value, keep);
  assert.equal(typeof result, 'object', `${JSON.stringify(value)} is refused`);
  return result as EncodingFault;
}

describe('percentEncode', () => {
  it('writes each UTF-8 byte as %XX with two upper-case hex digits (hand-computed vectors)', () => {
    const vectors: Array<[string, string]> = [
      ['', ''],
      [' ', '%20'],
      ['é', '%C3%A9'],
      ['\u00a0', '%C2%A0'],
      ['中', '%E4%B8%AD'],
      ['\u07ff\u0800', '%DF%BF%E0%A0%80'],
      ['\uffff', '%EF%BF%BF'],
      ['😀', '%F0%9F%98%80'],
      ['\ud83d\ude00x', '%F0%9F%98%80x'],
      ['\udbff\udfff', '%F4%8F%BF%BF'],
      ["!'()*", '%21%27%28%29%2A'],
      [':/?#[]@$&+,;=', '%3A%2F%3F%23%5B%5D%40%24%26%2B%2C%3B%3D'],
      ['%', '%25'],
      ['%41', '%2541'],
      ['"<>\\^`{|}', '%22%3C%3E%5C%5E%60%7B%7C%7D'],
      ['AZaz09-._~', 'AZaz09-._~'],
      ['a b/中', 'a%20b%2F%E4%B8%AD'],
    ];
    for (const [value, expected] of vectors) {
      assert.equal(percentEncode(value), expected, JSON.stringify(value));
      assert.equal(byBuffer(value), expected, `oracle agrees on ${JSON.stringify(value)}`);
    }
  });

  it('agrees with Buffer.from(value, "utf8") byte for byte on any string without controls or lone surrogates', () => {
    // eslint-disable-next-line no-control-regex -- leaving out the refused characters is the point
    const refused = /[\u0000-\u001f\u007f-\u009f]/;
    const printable = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }))
      .filter((value) => Buffer.from(value, 'utf8').toString('utf8') === value && !refused.test(value));
    fc.assert(fc.property(printable, (value) => percentEncode(value) === byBuffer(value) && decodeURIComponent(byBuffer(value)) === value));
  });

  it('refuses C0 and C1 control characters and DEL, giving the code point and its index', () => {
    // The bytes below 0x10, which an unpadded encoder writes as one hex digit, are all controls.
    assert.deepEqual(fault('\x041'), { codePoint: 0x04, index: 0 });
    assert.deepEqual(fault('a\r\nb'), { codePoint: 0x0d, index: 1 });
    assert.deepEqual(fault('\u0000'), { codePoint: 0, index: 0 });
    assert.deepEqual(fault('\t'), { codePoint: 0x09, index: 0 });
    assert.deepEqual(fault('ab\u001f'), { codePoint: 0x1f, index: 2 });
    assert.deepEqual(fault('\u007f'), { codePoint: 0x7f, index: 0 });
    assert.deepEqual(fault('中\u0080'), { codePoint: 0x80, index: 1 });
    assert.deepEqual(fault('😀\u009f'), { codePoint: 0x9f, index: 2 });
    assert.deepEqual(fault('a\nb', 'reserved'), { codePoint: 0x0a, index: 1 });
  });

  it('refuses a lone surrogate, high or low, wherever it stands', () => {
    assert.deepEqual(fault('\ud800'), { codePoint: 0xd800, index: 0 });
    assert.deepEqual(fault('ab\udbff'), { codePoint: 0xdbff, index: 2 });
    assert.deepEqual(fault('\ud800x'), { codePoint: 0xd800, index: 0 });
    assert.deepEqual(fault('\ude00\ud83d'), { codePoint: 0xde00, index: 0 });
    assert.deepEqual(fault('\ud83d\ud83d\ude00'), { codePoint: 0xd83d, index: 0 });
    assert.deepEqual(fault('x\udfff', 'reserved'), { codePoint: 0xdfff, index: 1 });
  });

  it('keeps reserved characters and valid %XX triplets in reserved mode, and encodes any other %', () => {
    assert.equal(percentEncode(":/?#[]@!$&'()*+,;=", 'reserved'), ":/?#[]@!$&'()*+,;=");
    assert.equal(percentEncode('%41%e4%B8%ad', 'reserved'), '%41%e4%B8%ad');
    assert.equal(percentEncode('50%', 'reserved'), '50%25');
    assert.equal(percentEncode('%4', 'reserved'), '%254');
    assert.equal(percentEncode('%zz%g0%0g', 'reserved'), '%25zz%25g0%250g');
    assert.equal(percentEncode('%%41', 'reserved'), '%25%41');
    assert.equal(percentEncode('a b"<>\\^`{|}中😀', 'reserved'), 'a%20b%22%3C%3E%5C%5E%60%7B%7C%7D%E4%B8%AD%F0%9F%98%80');
  });

  it('returns the very string when nothing needs encoding', () => {
    const value = 'out-trade_no.2024~1';
    assert.equal(percentEncode(value), value);
  });
});

describe('isTripletAt', () => {
  it('finds a % followed by two hex digits of either case, and nothing else', () => {
    assert.equal(isTripletAt('a%2fb', 1), true);
    assert.equal(isTripletAt('%Af', 0), true);
    assert.equal(isTripletAt('%2', 0), false);
    assert.equal(isTripletAt('%g0', 0), false);
    assert.equal(isTripletAt('x41', 0), false);
  });
});

describe('describeFault', () => {
  it('names the code point as U+XXXX and its index, and what kind of character it is', () => {
    assert.match(describeFault({ codePoint: 0x0d, index: 1 }), /^U\+000D at index 1 \(a control character\)/);
    assert.match(describeFault({ codePoint: 0xd800, index: 3 }), /^U\+D800 at index 3 \(a lone surrogate\)/);
  });
});
