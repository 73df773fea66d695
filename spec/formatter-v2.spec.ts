import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { Formatter } from '../lib';

/** The example of the APIv2 signature documentation ("签名算法"), with its published results. */
const DOC_PARAMS = { appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', device_info: '1000', body: 'test', nonce_str: 'ibuaiVcKdpRxkhJA' };
const DOC_STRING_A = 'appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA';
const DOC_KEY = '192006250b4c09247ec02edce69f6a2d';

describe('Formatter.queryStringLike', () => {
  it('joins the APIv2 documentation example into its published stringA', () => {
    assert.equal(Formatter.queryStringLike(DOC_PARAMS), DOC_STRING_A);
  });

  it('gives a string that, with &key= appended, hashes to the documentation signatures', () => {
    const stringSignTemp = `${Formatter.queryStringLike({ ...DOC_PARAMS, sign: 'anything' })}&key=${DOC_KEY}`;
    assert.equal(createHash('md5').update(stringSignTemp).digest('hex').toUpperCase(), '9A0A8659F005D6984697E2CA0A9CF3B7');
    assert.equal(createHmac('sha256', DOC_KEY).update(stringSignTemp).digest('hex').toUpperCase(), '6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6');
  });

  it('sorts keys in byte order: upper case, then underscore, then lower case', () => {
    assert.equal(Formatter.queryStringLike({ a: 1, _x: 2, B: 3 }), 'B=3&_x=2&a=1');
    assert.equal(Formatter.queryStringLike({ b: 1, a: 2, A: 3, Z: 4, z: 5, '9': 6 }), '9=6&A=3&Z=4&a=2&b=1&z=5');
  });

  it('puts a key before the longer keys it begins, and compares byte by byte after that', () => {
    assert.equal(Formatter.queryStringLike({ ab: 1, a_b: 2, a: 3, abc: 4 }), 'a=3&a_b=2&ab=1&abc=4');
  });

  it('sorts integer-like keys by their bytes, not in the numeric order JavaScript enumerates them', () => {
    const params = { b: 'x', '10': 'y', '2': 'z' };
    assert.deepEqual(Object.keys(params), ['2', '10', 'b']);
    assert.equal(Formatter.queryStringLike(params), '10=y&2=z&b=x');
  });

  it('sorts non-ASCII keys by their UTF-8 bytes, not by UTF-16 code units', () => {
    // U+FF21 is EF BC A1 in UTF-8 and sorts before U+1F600 (F0 9F 98 80); in UTF-16 the emoji's surrogate D83D comes first.
    const params = { '\u{1F600}': 1, '\uFF21': 2 };
    assert.deepEqual(Object.keys(params).sort(), ['\u{1F600}', '\uFF21']);
    assert.equal(Formatter.queryStringLike(params), '\uFF21=2&\u{1F600}=1');
  });

  it('leaves out sign and the empty, null and undefined values, but keeps sign_type and zero', () => {
    const params = { sign: 'C380BEC2BFD727A4B6845133519F3AD6', sign_type: 'HMAC-SHA256', empty: '', none: null, missing: undefined, total_fee: 0, body: 'test' };
    assert.equal(Formatter.queryStringLike(params), 'body=test&sign_type=HMAC-SHA256&total_fee=0');
  });

  it('writes values as they are, without URL encoding', () => {
    const params = { body: '腾讯充值中心-QQ会员充值', attach: 'a b&c=d/e+f%20', notify_url: 'https://example.com/notify?x=1' };
    assert.equal(Formatter.queryStringLike(params), 'attach=a b&c=d/e+f%20&body=腾讯充值中心-QQ会员充值&notify_url=https://example.com/notify?x=1');
  });

  it('writes numbers as their decimal text, as a string of the same digits would be', () => {
    assert.equal(Formatter.queryStringLike({ ...DOC_PARAMS, device_info: 1000, mch_id: 10000100 }), DOC_STRING_A);
  });

  it('gives the empty string for no parameters, or only left-out ones', () => {
    assert.equal(Formatter.queryStringLike({}), '');
    assert.equal(Formatter.queryStringLike({ sign: 'X', a: '', b: null }), '');
  });

  it('leaves the parameters it is given untouched', () => {
    const params = { sign: 'X', b: '2', a: '1', c: '' };
    const copy = { ...params };
    Formatter.queryStringLike(params);
    assert.deepEqual(params, copy);
    assert.deepEqual(Object.keys(params), Object.keys(copy));
  });
});
