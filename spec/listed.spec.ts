import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listed } from '../lib/listed';

describe('listed', () => {
  it('joins names as a sentence does: commas, then and (or or) before the last', () => {
    assert.equal(listed(['file', 'signal', 'timeout']), 'file, signal and timeout');
    assert.equal(listed(['onError', 'path']), 'onError and path');
    assert.equal(listed(["'SUCCESS'", "'FAIL'"], 'or'), "'SUCCESS' or 'FAIL'");
    assert.equal(listed(['onError']), 'onError');
    assert.equal(listed([]), '');
  });
});
