import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode, OptionError } from '../../lib';
import { rewriteFields } from '../../lib/v3/sensitive-fields';

const upper = (value: string) => value.toUpperCase();

describe('rewriteFields', () => {
  it('rewrites the named string fields and copies only along their paths', () => {
    const body = { a: { b: 'x', keep: 'y' }, other: { z: 1 } };
    const out = rewriteFields(body, ['a.b'], upper, 'encrypt') as typeof body;
    assert.deepEqual(out, { a: { b: 'X', keep: 'y' }, other: { z: 1 } });
    assert.equal(body.a.b, 'x', "the caller's object is untouched");
    assert.equal(out.other, body.other, 'untouched branches are shared, not copied');
  });

  it('reaches every element of an array and every value of an object with *', () => {
    const body = { list: [{ name: 'a' }, { name: 'b' }, {}], map: { k1: 'p', k2: 'q' } };
    assert.deepEqual(rewriteFields(body, ['list.*.name', 'map.*'], upper, 'encrypt'), { list: [{ name: 'A' }, { name: 'B' }, {}], map: { k1: 'P', k2: 'Q' } });
  });

  it('skips an optional field that is absent or null', () => {
    assert.deepEqual(rewriteFields({ a: null, b: {} }, ['a.x', 'b.y', 'c'], upper, 'encrypt'), { a: null, b: {} });
  });

  it('refuses a path that lands on something other than a string, naming it', () => {
    assert.throws(() => rewriteFields({ a: { b: 1 } }, ['a.b'], upper, 'encrypt'), (error: unknown) => error instanceof OptionError && error.code === ErrorCode.INVALID_OPTION && /encrypt: a\.b is a number/.test(error.message));
    assert.throws(() => rewriteFields({ a: 'text' }, ['a.b'], upper, 'decrypt'), /decrypt: a is not an object/);
  });

  it('refuses malformed paths and a non-array of paths', () => {
    for (const paths of [['a..b'], ['a b'], [''], [42], 'a.b']) {
      assert.throws(() => rewriteFields({}, paths, upper, 'encrypt'), (error: unknown) => error instanceof OptionError && /^encrypt: /.test(error.message));
    }
  });
});
