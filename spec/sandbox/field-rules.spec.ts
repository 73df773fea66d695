// The field checker the sandbox's routes share: the first field that breaks its rule is named in
// a 400 PARAM_ERROR, with where it is.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFields, fieldAt, fieldError, type FieldRule } from '../../lib/sandbox/field-rules';

const RULES: FieldRule[] = [
  { path: 'name', type: 'string', required: true, max: 4 },
  { path: 'code', type: 'string', pattern: /^[A-Z]+$/ },
  { path: 'money', type: 'object', required: true },
  { path: 'money.cents', type: 'integer', required: true, min: 1 },
  { path: 'flag', type: 'boolean' },
  { path: 'tags', type: 'array' },
];

/** The message a body gets, or undefined when it passes. */
function messageFor(body: unknown): string | undefined {
  const reply = checkFields(body, RULES);
  return reply === undefined ? undefined : (reply.json as { message: string }).message;
}

describe('field rules', () => {
  it('passes a body that keeps every rule, optional fields left out', () => {
    assert.equal(checkFields({ name: 'tea', money: { cents: 1 } }, RULES), undefined);
    assert.equal(checkFields({ name: 'tea', code: 'CNY', money: { cents: 100 }, flag: false, extra: 1 }, RULES), undefined);
  });

  it('names the first field that fails, in the order of the rules', () => {
    assert.equal(messageFor({}), 'name is required');
    assert.equal(messageFor({ name: '' }), 'name must be a non-empty string');
    assert.equal(messageFor({ name: '四个汉字多' }), 'name must be at most 4 characters');
    assert.equal(messageFor({ name: '四个汉字', code: 'cny' }), 'code does not have the expected format (/^[A-Z]+$/)');
    assert.equal(messageFor({ name: 'tea' }), 'money is required');
    assert.equal(messageFor({ name: 'tea', money: [] }), 'money must be an object');
    assert.equal(messageFor({ name: 'tea', money: { cents: 1.5 } }), 'money.cents must be a whole number');
    assert.equal(messageFor({ name: 'tea', money: { cents: '100' } }), 'money.cents must be a whole number');
    assert.equal(messageFor({ name: 'tea', money: { cents: 0 } }), 'money.cents must be at least 1');
    assert.equal(messageFor({ name: 'tea', money: { cents: 1 }, flag: 'yes' }), 'flag must be true or false');
  });

  it('takes a list, empty too, unless it must have a least number of items', () => {
    assert.equal(messageFor({ name: 'tea', money: { cents: 1 }, tags: [] }), undefined);
    assert.equal(messageFor({ name: 'tea', money: { cents: 1 }, tags: {} }), 'tags must be an array');
    const some: FieldRule[] = [{ path: 'tags', type: 'array', required: true, min: 1 }];
    assert.equal((checkFields({ tags: [] }, some)?.json as { message: string }).message, 'tags must have at least 1 item');
    assert.equal((checkFields({ tags: ['a'] }, [{ path: 'tags', type: 'array', min: 2 }])?.json as { message: string }).message, 'tags must have at least 2 items');
    assert.equal(checkFields({ tags: ['a'] }, some), undefined);
  });

  it('answers 400 PARAM_ERROR with the field as a pointer and where it was', () => {
    assert.deepEqual(checkFields({ name: 'tea', money: {} }, RULES), { status: 400, json: { code: 'PARAM_ERROR', message: 'money.cents is required', detail: { location: 'body', field: '/money/cents' } } });
    assert.deepEqual(fieldError('mchid', 'is required', 'query'), { status: 400, json: { code: 'PARAM_ERROR', message: 'mchid is required', detail: { location: 'query', field: '/mchid' } } });
  });

  it('checks each item of an array against the rule\'s items, naming the item by its index', () => {
    const rules: FieldRule[] = [{ path: 'lines', type: 'array', max: 2, items: [{ path: 'sku', type: 'string', required: true }, { path: 'cents', type: 'integer', min: 1 }] }];
    const message = (body: unknown) => (checkFields(body, rules)?.json as { message: string } | undefined)?.message;
    assert.equal(message({ lines: [{ sku: 'a' }, { sku: 'b', cents: 1 }] }), undefined);
    assert.equal(message({ lines: {} }), 'lines must be an array');
    assert.equal(message({ lines: [{ sku: 'a' }, { sku: 'b' }, { sku: 'c' }] }), 'lines must have at most 2 items');
    assert.equal(message({ lines: [{ sku: 'a' }, { cents: 1 }] }), 'lines.1.sku is required');
    assert.equal(message({ lines: [{ sku: 'a', cents: 0 }] }), 'lines.0.cents must be at least 1');
    assert.equal(message({ lines: ['a'] }), 'lines.0 must be an object');
    assert.deepEqual(checkFields({ lines: [{}] }, rules)?.json, { code: 'PARAM_ERROR', message: 'lines.0.sku is required', detail: { location: 'body', field: '/lines/0/sku' } });
  });

  it('refuses a body that is not a JSON object', () => {
    for (const body of [undefined, null, [], 'text', 1]) assert.equal(messageFor(body), 'the body must be a JSON object');
  });

  it('reads dotted paths, undefined past anything that is not an object', () => {
    assert.equal(fieldAt({ a: { b: { c: 3 } } }, 'a.b.c'), 3);
    assert.equal(fieldAt({ a: 1 }, 'a.b'), undefined);
    assert.equal(fieldAt({ a: [{ b: 1 }] }, 'a.b'), undefined);
  });
});
