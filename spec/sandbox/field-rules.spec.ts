// The field checker the sandbox's routes share: the first field that breaks its rule is named in
// a 400 PARAM_ERROR, with where it is.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFields, checkList, fieldAt, fieldError, type FieldRule } from '../../lib/sandbox/field-rules';

const RULES: FieldRule[] = [
  { path: 'name', type: 'string', required: true, max: 4 },
  { path: 'code', type: 'string', pattern: /^[A-Z]+$/ },
  { path: 'money', type: 'object', required: true },
  { path: 'money.cents', type: 'integer', required: true, min: 1 },
  { path: 'flag', type: 'boolean' },
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

  it('answers 400 PARAM_ERROR with the field as a pointer and where it was', () => {
    assert.deepEqual(checkFields({ name: 'tea', money: {} }, RULES), { status: 400, json: { code: 'PARAM_ERROR', message: 'money.cents is required', detail: { location: 'body', field: '/money/cents' } } });
    assert.deepEqual(fieldError('mchid', 'is required', 'query'), { status: 400, json: { code: 'PARAM_ERROR', message: 'mchid is required', detail: { location: 'query', field: '/mchid' } } });
  });

  it('checks each item of a list by its place, and the list itself: present, an array, of so many objects', () => {
    const items: FieldRule[] = [{ path: 'money.cents', type: 'integer', required: true, min: 1 }];
    const listMessage = (body: unknown) => (checkList(body, 'orders', items, { min: 1, max: 2 })?.json as { message: string } | undefined)?.message;
    assert.equal(checkList({ orders: [{ money: { cents: 1 } }, { money: { cents: 2 } }] }, 'orders', items, { min: 1, max: 2 }), undefined);
    assert.equal(listMessage({}), 'orders is required');
    assert.equal(listMessage({ orders: {} }), 'orders must be an array');
    assert.equal(listMessage({ orders: [] }), 'orders must have 1 to 2 items');
    assert.equal(listMessage({ orders: [{}, {}, {}] }), 'orders must have 1 to 2 items');
    assert.equal(listMessage({ orders: [{ money: { cents: 1 } }, 'tea'] }), 'orders.1 must be an object');
    assert.deepEqual(checkList({ orders: [{ money: { cents: 1 } }, { money: { cents: 0 } }] }, 'orders', items, { min: 1, max: 2 })?.json, { code: 'PARAM_ERROR', message: 'orders.1.money.cents must be at least 1', detail: { location: 'body', field: '/orders/1/money/cents' } });
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
