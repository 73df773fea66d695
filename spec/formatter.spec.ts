import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Formatter } from '../lib';

describe('Formatter', () => {
  it('draws nonces of 32 characters from [0-9A-Za-z]', () => {
    for (let i = 0; i < 200; i += 1) assert.match(Formatter.nonce(), /^[0-9A-Za-z]{32}$/);
    assert.match(Formatter.nonce(7), /^[0-9A-Za-z]{7}$/);
  });

  it('draws every character about equally often (no modulo bias)', () => {
    const counts = new Map<string, number>();
    const draws = 2000;
    for (let i = 0; i < draws; i += 1) for (const c of Formatter.nonce()) counts.set(c, (counts.get(c) ?? 0) + 1);
    assert.equal(counts.size, 62);
    const expected = (draws * 32) / 62;
    // Chi-square with 61 degrees of freedom: the 99.99th percentile is about 118.
    const chiSquare = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    assert.ok(chiSquare < 118, `chi-square ${chiSquare.toFixed(1)}`);
  });

  it('gives Unix time in whole seconds', () => {
    assert.equal(Formatter.timestamp(1_700_000_000_999), 1_700_000_000);
  });

  it('builds the request message with a newline after every line, the body included', () => {
    assert.equal(Formatter.request('post', '/v3/a?b=1', 1554208460, 'NONCE', '{"a":1}'), 'POST\n/v3/a?b=1\n1554208460\nNONCE\n{"a":1}\n');
    assert.equal(Formatter.request('GET', '/v3/certificates', 1554208460, 'NONCE'), 'GET\n/v3/certificates\n1554208460\nNONCE\n\n');
  });

  it('keeps a Buffer body as bytes in the message', () => {
    const message = Formatter.response(1, 'n', Buffer.from([0xff, 0x00]));
    assert.deepEqual(message, Buffer.from([0x31, 0x0a, 0x6e, 0x0a, 0xff, 0x00, 0x0a]));
  });

  it('builds the response message', () => {
    assert.equal(Formatter.response('1554209980', 'c5ac7061fccab6bf3e254dcf98995b8c', '{"data":[]}'), '1554209980\nc5ac7061fccab6bf3e254dcf98995b8c\n{"data":[]}\n');
  });

  it('builds the Authorization header in the documented order', () => {
    assert.equal(
      Formatter.authorization('1900009191', '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C', 1554208460, 'NONCE', 'c2ln'),
      'WECHATPAY2-SHA256-RSA2048 mchid="1900009191",serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C",timestamp="1554208460",nonce_str="NONCE",signature="c2ln"',
    );
  });
});
