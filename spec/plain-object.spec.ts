import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';
import { isPlainObject } from '../lib/plain-object';

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
