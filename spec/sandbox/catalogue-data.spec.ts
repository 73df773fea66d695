import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Catalogue, sandboxCatalogue, type CatalogueOperation } from '../../lib/sandbox/catalogue-data';

const operation = (method: CatalogueOperation['method'], path: string): CatalogueOperation => ({ method, path, status: 200 });

describe('Catalogue', () => {
  const catalogue = new Catalogue([
    operation('get', 'v3/pay/transactions/{product}/{id}'),
    operation('get', 'v3/pay/transactions/out-trade-no/{out_trade_no}'),
    operation('post', 'v3/pay/transactions/out-trade-no/{out_trade_no}'),
    operation('post', 'v3/applyment4sub/applyment/'),
    operation('post', 'v2/pay/orderquery'),
  ]);

  it('finds the operation of a method and path, its variables percent-decoded', () => {
    const found = catalogue.find('GET', 'v3/pay/transactions/out-trade-no/T%2F1');
    assert.equal(found?.operation.path, 'v3/pay/transactions/out-trade-no/{out_trade_no}');
    assert.equal(found?.operation.method, 'get');
    assert.deepEqual(found?.variables, { out_trade_no: 'T/1' });
  });

  it('prefers a literal segment to a variable, whatever the order of the catalogue', () => {
    assert.equal(catalogue.find('get', 'v3/pay/transactions/out-trade-no/T1')?.operation.path, 'v3/pay/transactions/out-trade-no/{out_trade_no}');
    assert.deepEqual(catalogue.find('get', 'v3/pay/transactions/jsapi/T1')?.variables, { product: 'jsapi', id: 'T1' });
  });

  it('keeps a trailing slash part of the path, and finds APIv2 paths under v2/', () => {
    assert.ok(catalogue.find('post', 'v3/applyment4sub/applyment/'));
    assert.equal(catalogue.find('post', 'v3/applyment4sub/applyment'), undefined);
    assert.ok(catalogue.find('post', 'v2/pay/orderquery'));
  });

  it('finds nothing for another method, an empty variable or a path it lacks', () => {
    assert.equal(catalogue.find('delete', 'v3/pay/transactions/out-trade-no/T1'), undefined);
    assert.equal(catalogue.find('get', 'v3/pay/transactions/out-trade-no/'), undefined);
    assert.equal(catalogue.find('get', 'v3/nowhere'), undefined);
  });
});

describe('sandboxCatalogue', () => {
  it('reads the data file npm run generate writes, once', async () => {
    const first = sandboxCatalogue();
    assert.equal(sandboxCatalogue(), first);
    const { operations } = await first;
    assert.ok(operations.length > 1000, `${operations.length} operations`);
    assert.ok((await first).find('post', 'v3/pay/transactions/jsapi'));
  });
});
