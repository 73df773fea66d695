import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';
import { isPlainObject, unknownKey } from '../lib/plain-object';

describe('isPlainObject', () => {
  it('accepts object literals and null-prototype objects', () => {
    assert.equal(isPlainObject({}), true);
    assert.equal(isPlainObject({ a: 1 }), true);
    assert.equal(isPlainObject(Object.create(null)), true);
  });

  it('refuses arrays, class instances, built-ins, primitives and objects of another realm', () => {
    for (const value of [[], new Date(0), new Map(), new (class Options {})(), null, undefined, 'a', 1, () => ({}), runInNewContext('({})')]) {
      assert.equal(isPlainObject(value), false);
    }
  });
});

describe('unknownKey', () => {
  it('names the first own key that is neither listed nor a key of the record given, cut to 64 characters', () => {
    assert.equal(unknownKey({ file: 'a', path: 'b', more: 1 }, ['file', 'timeout']), 'path');
    assert.equal(unknownKey({ attempts: 3, tries: 2 }, { attempts: 3, baseDelayMs: 200 }), 'tries');
    assert.equal(unknownKey({ ['x'.repeat(100)]: 1 }, []), 'x'.repeat(64));
  });

  it('finds none when every key is known, and ignores inherited ones', () => {
    assert.equal(unknownKey({ file: 'a' }, ['file', 'timeout']), undefined);
    assert.equal(unknownKey(Object.create({ inherited: 1 }) as object, []), undefined);
    assert.equal(unknownKey({ toString: 1 }, {}), 'toString', 'a key of Object.prototype is no key of the record');
  });
});
