import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CatalogueOperation, CatalogueSchema } from '../../lib/sandbox/catalogue-data';
import { exampleCall, exampleOf } from '../../lib/sandbox/catalogue-examples';
import { findBreach } from '../../lib/sandbox/catalogue-validation';

const CONTRACT: CatalogueSchema = {
  type: 'object',
  required: ['out_contract_code', 'state', 'amount'],
  properties: {
    out_contract_code: { type: 'string', example: '100001256' },
    state: { type: 'string', enum: ['EFFECTIVE', 'TERMINATED'], example: 'TERMINATED' },
    amount: { type: 'object', required: ['total'], properties: { total: { type: 'integer', example: '100' }, currency: { type: 'string', example: 'CNY' } } },
    remark: { type: 'string', example: 'the user asked' },
    plans: { type: 'array', items: { type: 'object', properties: { plan_id: { type: 'integer' } } } },
  },
};

describe('exampleOf', () => {
  it("writes a call's required fields with the catalogue's examples, numbers as numbers", () => {
    assert.deepEqual(exampleOf(CONTRACT, 'body', 'required'), { out_contract_code: '100001256', state: 'TERMINATED', amount: { total: 100 } });
  });

  it("writes every field of an answer, placeholders of the right type where the catalogue gives no example", () => {
    assert.deepEqual(exampleOf(CONTRACT, 'answer', 'all'), {
      out_contract_code: '100001256',
      state: 'TERMINATED',
      amount: { total: 100, currency: 'CNY' },
      remark: 'the user asked',
      plans: [{ plan_id: 1 }],
    });
  });

  it('takes the first enum value where the example is none of them', () => {
    assert.equal(exampleOf({ type: 'string', enum: ['A', 'B'], example: 'C' }, 'state', 'all'), 'A');
  });

  it('replaces an example that is not of its type', () => {
    assert.equal(exampleOf({ type: 'integer', example: 'ten' }, 'count', 'all'), 1);
    assert.equal(exampleOf({ type: 'integer', example: 1.5 }, 'count', 'all'), 1);
    assert.equal(exampleOf({ type: 'number', example: '0.38' }, 'rate', 'all'), 0.38);
    assert.equal(exampleOf({ type: 'boolean', example: 'TRUE' }, 'checked_in', 'all'), true);
    assert.equal(exampleOf({ type: 'string', example: 20 }, 'code', 'all'), '20');
    assert.deepEqual(exampleOf({ type: 'object', example: 'x' }, 'detail', 'all'), {});
    assert.equal(exampleOf({}, 'anything', 'all'), 'example_anything');
  });

  it('builds values the schema holds', () => {
    assert.equal(findBreach(CONTRACT, exampleOf(CONTRACT, 'answer', 'all'), 'json'), undefined);
    assert.equal(findBreach(CONTRACT, exampleOf(CONTRACT, 'body', 'required'), 'json'), undefined);
  });
});

describe('exampleCall', () => {
  it('gives the path variables, the required query parameters and the JSON body of an APIv3 call', () => {
    const operation: CatalogueOperation = {
      method: 'post',
      path: 'v3/contracts/{contract_id}/terminate',
      status: 200,
      variables: { contract_id: { type: 'string', example: 'C1' } },
      query: { type: 'object', required: ['mchid'], properties: { mchid: { type: 'string', example: '1230000109' }, offset: { type: 'integer' } } },
      body: CONTRACT,
    };
    assert.deepEqual(exampleCall(operation), { contract_id: 'C1', query: { mchid: '1230000109' }, json: exampleOf(CONTRACT, 'body', 'required') });
  });

  it("leaves out a query without required parameters, and the nonce_str and sign an APIv2 client adds", () => {
    const operation: CatalogueOperation = {
      method: 'post',
      path: 'v2/pay/orderquery',
      status: 200,
      query: { type: 'object', properties: { version: { type: 'string' } } },
      body: { type: 'object', required: ['appid', 'nonce_str', 'sign'], properties: { appid: { type: 'string', example: 'wx1' }, nonce_str: { type: 'string' }, sign: { type: 'string' } } },
    };
    assert.deepEqual(exampleCall(operation), { xml: { appid: 'wx1' } });
  });

  it('gives nothing for a call that takes no options', () => {
    assert.equal(exampleCall({ method: 'get', path: 'v3/certificates', status: 200 }), undefined);
  });
});
