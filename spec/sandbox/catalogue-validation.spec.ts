import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CatalogueSchema } from '../../lib/sandbox/catalogue-data';
import { findBreach } from '../../lib/sandbox/catalogue-validation';

const ORDER: CatalogueSchema = {
  type: 'object',
  required: ['appid', 'amount'],
  properties: {
    appid: { type: 'string' },
    amount: { type: 'object', required: ['total'], properties: { total: { type: 'integer' }, currency: { type: 'string', enum: ['CNY'] } } },
    goods: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, count: { type: 'integer' } } } },
    paid: { type: 'boolean' },
    rate: { type: 'number' },
  },
};

describe('findBreach', () => {
  it('finds nothing in a value that holds, whatever fields the schema does not describe', () => {
    assert.equal(findBreach(ORDER, { appid: 'wx1', amount: { total: 100, currency: 'CNY' }, goods: [{ id: 'g' }], paid: true, rate: 0.5, extra: [1] }, 'json'), undefined);
  });

  it('names the first required field missing, dotted at depth and numbered in arrays', () => {
    assert.deepEqual(findBreach(ORDER, { amount: { total: 1 } }, 'json'), { field: 'appid', problem: 'is required' });
    assert.deepEqual(findBreach(ORDER, { appid: 'wx1', amount: {} }, 'json'), { field: 'amount.total', problem: 'is required' });
    assert.deepEqual(findBreach(ORDER, { appid: 'wx1', amount: { total: 1 }, goods: [{ id: 'a' }, { count: 2 }] }, 'json'), { field: 'goods.1.id', problem: 'is required' });
    assert.deepEqual(findBreach(ORDER, { appid: null, amount: { total: 1 } }, 'json'), { field: 'appid', problem: 'is required' });
  });

  it('names a JSON value of the wrong type', () => {
    const valid = { appid: 'wx1', amount: { total: 1 } };
    assert.deepEqual(findBreach(ORDER, { ...valid, amount: { total: '1' } }, 'json'), { field: 'amount.total', problem: 'must be a whole number' });
    assert.deepEqual(findBreach(ORDER, { ...valid, amount: { total: 1.5 } }, 'json'), { field: 'amount.total', problem: 'must be a whole number' });
    assert.deepEqual(findBreach(ORDER, { ...valid, paid: 'true' }, 'json'), { field: 'paid', problem: 'must be true or false' });
    assert.deepEqual(findBreach(ORDER, { ...valid, rate: '0.5' }, 'json'), { field: 'rate', problem: 'must be a number' });
    assert.deepEqual(findBreach(ORDER, { ...valid, goods: { id: 'g' } }, 'json'), { field: 'goods', problem: 'must be an array' });
    assert.deepEqual(findBreach(ORDER, { ...valid, appid: 7 }, 'json'), { field: 'appid', problem: 'must be a string' });
    assert.deepEqual(findBreach(ORDER, [valid], 'json'), { field: '', problem: 'must be an object' });
  });

  it('names a value outside its enum, and lets the enum decide alone where the catalogue types it otherwise', () => {
    assert.deepEqual(findBreach(ORDER, { appid: 'wx1', amount: { total: 1, currency: 'USD' } }, 'json'), { field: 'amount.currency', problem: 'must be one of CNY' });
    const organization: CatalogueSchema = { type: 'object', properties: { type: { type: 'string', enum: [2401, 2500] } } };
    assert.equal(findBreach(organization, { type: 2401 }, 'json'), undefined);
    assert.deepEqual(findBreach(organization, { type: '2401' }, 'json'), { field: 'type', problem: 'must be one of 2401, 2500' });
    assert.equal(findBreach(organization, { type: '2401' }, 'text'), undefined);
  });

  it('reads text as APIv2 XML and queries carry it: digits for integers, true or false in any case, nested data as JSON text', () => {
    assert.equal(findBreach(ORDER, { appid: 'wx1', amount: '{"total":1}', paid: 'TRUE', rate: '-0.5' }, 'text'), undefined);
    assert.deepEqual(findBreach({ type: 'object', properties: { total: { type: 'integer' } } }, { total: '1.0' }, 'text'), { field: 'total', problem: 'must be a whole number' });
    assert.deepEqual(findBreach({ type: 'object', properties: { paid: { type: 'boolean' } } }, { paid: 'yes' }, 'text'), { field: 'paid', problem: 'must be true or false' });
    assert.deepEqual(findBreach({ type: 'object', properties: { rate: { type: 'number' } } }, { rate: ' ' }, 'text'), { field: 'rate', problem: 'must be a number' });
  });

  it('takes an empty text as missing', () => {
    assert.deepEqual(findBreach(ORDER, { appid: '', amount: '{}' }, 'text'), { field: 'appid', problem: 'is required' });
  });

  it('takes either order id where the catalogue requires both', () => {
    const query: CatalogueSchema = { type: 'object', required: ['transaction_id', 'out_trade_no', 'mchid'], properties: { transaction_id: { type: 'string' }, out_trade_no: { type: 'string' }, mchid: { type: 'string' } } };
    assert.equal(findBreach(query, { out_trade_no: 'T1', mchid: 'M' }, 'text'), undefined);
    assert.equal(findBreach(query, { transaction_id: '42', mchid: 'M' }, 'text'), undefined);
    assert.deepEqual(findBreach(query, { mchid: 'M' }, 'text'), { field: 'transaction_id or out_trade_no', problem: 'is required' });
  });

  it('requires no field that `optional` names, at any depth', () => {
    const order: CatalogueSchema = { type: 'object', required: ['sub_mchid', 'detail'], properties: { sub_mchid: { type: 'string' }, detail: { type: 'object', required: ['sub_mchid'], properties: { sub_mchid: { type: 'string' } } } } };
    assert.equal(findBreach(order, { detail: {} }, 'json', new Set(['sub_mchid'])), undefined);
    assert.deepEqual(findBreach(order, { detail: {} }, 'json'), { field: 'sub_mchid', problem: 'is required' });
  });
});
