import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode, OptionError } from '../lib';
import { parsePathTemplate } from '../lib/uri-template';

function rejectsWith(code: string, run: () => unknown): void {
  assert.throws(run, (error: unknown) => error instanceof OptionError && error.code === code);
}

describe('parsePathTemplate', () => {
  it('lists the variables a template names', () => {
    assert.deepEqual(parsePathTemplate('v3/a/{x}/b/{y}{?q,r}').variables, ['x', 'y', 'q', 'r']);
    assert.deepEqual(parsePathTemplate('v3/pay/transactions').variables, []);
  });

  it('expands a simple variable (RFC 6570 level 1)', () => {
    assert.equal(parsePathTemplate('v3/contracts/{out_contract_code}').expand({ out_contract_code: '100005698' }), 'v3/contracts/100005698');
  });

  it('percent-encodes every reserved character so a value cannot leave its segment', () => {
    const expanded = parsePathTemplate('v3/a/{id}/b').expand({ id: '../../x?y=1#z&w /中' });
    assert.equal(expanded, 'v3/a/..%2F..%2Fx%3Fy%3D1%23z%26w%20%2F%E4%B8%AD/b');
    assert.equal(new URL(expanded, 'https://h/').pathname, '/v3/a/..%2F..%2Fx%3Fy%3D1%23z%26w%20%2F%E4%B8%AD/b');
  });

  it('passes reserved characters through with {+var}, as RFC 6570 defines', () => {
    assert.equal(parsePathTemplate('v3/{+rest}').expand({ rest: 'a/b?c' }), 'v3/a/b?c');
  });

  it('expands the RFC 6570 examples for query and path operators', () => {
    const values = { var: 'value', list: ['red', 'green'], x: '1024', y: '768' };
    assert.equal(parsePathTemplate('{/list*}').expand(values), '/red/green');
    assert.equal(parsePathTemplate('map{?x,y}').expand(values), 'map?x=1024&y=768');
  });

  it('refuses a missing, null or empty variable and names every one missing', () => {
    const template = parsePathTemplate('v3/a/{x}/b/{y}');
    assert.throws(() => template.expand({}), (error: unknown) => error instanceof OptionError && error.code === ErrorCode.TEMPLATE_VARIABLE && /x, y/.test(error.message));
    rejectsWith(ErrorCode.TEMPLATE_VARIABLE, () => template.expand({ x: null, y: '1' }));
    rejectsWith(ErrorCode.TEMPLATE_VARIABLE, () => template.expand({ x: '', y: '1' }));
  });

  it('refuses a value of "." or ".." (or their percent-encoded forms), which URL parsing would resolve away', () => {
    const template = parsePathTemplate('v3/a/{x}/b');
    for (const x of ['.', '..']) rejectsWith(ErrorCode.TEMPLATE_VARIABLE, () => template.expand({ x }));
    assert.equal(template.expand({ x: '%2e%2e' }), 'v3/a/%252e%252e/b', 'a literal % is encoded, so no dot segment');
    assert.equal(template.expand({ x: '...' }), 'v3/a/.../b');
    const reserved = parsePathTemplate('v3/{+x}/b');
    for (const x of ['..', 'c/./d', 'c/../d']) rejectsWith(ErrorCode.TEMPLATE_VARIABLE, () => reserved.expand({ x }));
  });

  it('refuses a literal path with a dot segment', () => {
    rejectsWith(ErrorCode.INVALID_OPTION, () => parsePathTemplate('v3/../v2/pay'));
  });

  it('reads {empty} as the trailing slash of the catalogue', () => {
    assert.equal(parsePathTemplate('v3/applyment4sub/applyment/{empty}').expand({}), 'v3/applyment4sub/applyment/');
  });

  it('refuses a template that does not parse', () => {
    rejectsWith(ErrorCode.INVALID_OPTION, () => parsePathTemplate('v3/a/{x'));
  });
});
