import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode, OptionError } from '../lib';
import { appendQuery, serializeQuery } from '../lib/query-string';

function refused(params: Record<string, unknown>, ...parts: string[]): void {
  assert.throws(
    () => serializeQuery(params),
    (error: unknown) => error instanceof OptionError && error.code === ErrorCode.INVALID_OPTION && parts.every((part) => error.message.includes(part)) && !error.message.includes('secret'),
  );
}

describe('serializeQuery', () => {
  it('writes k=v pairs in the order given, arrays as repeated keys, undefined and null left out', () => {
    assert.equal(serializeQuery({ b: '2', a: ['1', '3'], skip: undefined, none: null, n: 0, t: true }), 'b=2&a=1&a=3&n=0&t=true');
  });

  it('writes a Date as its ISO string', () => {
    assert.equal(serializeQuery({ at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) }), 'at=2024-01-02T03%3A04%3A05.000Z');
  });

  it('percent-encodes keys and values as RFC 3986 UTF-8, including !\'()*', () => {
    assert.equal(serializeQuery({ 'a b': "!'()*", z: '中/&=?#+', e: '😀', u: 'Az09-._~' }), 'a%20b=%21%27%28%29%2A&z=%E4%B8%AD%2F%26%3D%3F%23%2B&e=%F0%9F%98%80&u=Az09-._~');
  });

  it('refuses a lone surrogate or a control character in a value or a key, naming the key and the position, not the value', () => {
    refused({ remark: 'sec\ud800ret' }, 'query "remark"', 'U+D800 at index 3');
    refused({ remark: ['ok', 'secret\r\n'] }, 'query "remark"', 'U+000D at index 6');
    refused({ q: 'secret\u0085' }, 'query "q"', 'U+0085 at index 6');
    refused({ q: '\x041' }, 'query "q"', 'U+0004 at index 0');
    refused({ 'k\u0000': 'secret' }, 'query key "k\\u0000"', 'U+0000 at index 1');
  });

  it('honours a custom paramsSerializer, function or { serialize }, as is', () => {
    assert.equal(serializeQuery({ a: '\ud800' }, () => 'raw'), 'raw');
    assert.equal(serializeQuery({ a: 1 }, { serialize: (params) => `n=${String(params.a)}` }), 'n=1');
  });

  it('keeps URLSearchParams as they serialize themselves', () => {
    assert.equal(serializeQuery(new URLSearchParams({ a: 'x y' })), 'a=x+y');
  });
});

describe('appendQuery', () => {
  it('appends after ?, or after & when the path has a query already, and leaves the path alone for an empty query', () => {
    assert.equal(appendQuery('v3/a', 'x=1'), 'v3/a?x=1');
    assert.equal(appendQuery('v3/a?y=2', 'x=1'), 'v3/a?y=2&x=1');
    assert.equal(appendQuery('v3/a', ''), 'v3/a');
  });
});
