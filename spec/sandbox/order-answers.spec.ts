// The sandbox answers orders and refunds with the catalogue's shapes: every field the catalogue
// requires is there, and every field it writes is one the catalogue's answer declares, or one the
// gateway's documentation gives and the catalogue lacks (named here).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { GatewayRefusal } from '../../lib/sandbox/gateway-refusal';
import { refundAnswer, refundResource, transactionAnswer, transactionResource } from '../../lib/sandbox/order-answers';
import { TradeLedger, type OrderDraft, type SandboxOrder } from '../../lib/sandbox/trade-ledger';
import { CATALOGUE, flatten, loadCatalogue, responseSchema, type Schema } from '../../tools/generate/catalogue';

/** The 200 answers' schemas of `paths` (GET, or POST where there is no GET), flattened. */
function answerSchemas(all: ReturnType<typeof loadCatalogue>, paths: string[]): Schema[] {
  return paths.map((path) => {
    const operation = all.find((op) => op.path === path && op.method === 'get') ?? all.find((op) => op.path === path && op.method === 'post');
    const schema = operation && responseSchema(operation);
    assert.ok(schema, `the catalogue has an answer for ${path}`);
    return flatten(schema);
  });
}

/**
 * Asserts `answer` fits every one of `schemas` in its required fields, and some of them in each
 * field it has, nested objects too; `beyond` lists the fields (`answer.amount.total`) allowed
 * although none of the schemas declares them.
 */
function assertFits(answer: Record<string, unknown>, schemas: Schema[], beyond: readonly string[] = [], where = 'answer'): void {
  for (const schema of schemas) for (const field of Array.isArray(schema.required) ? schema.required : []) assert.ok(field in answer, `${where} has ${field}, which the catalogue requires`);
  for (const [field, value] of Object.entries(answer)) {
    const declared = schemas.map((schema) => schema.properties?.[field]).filter((property): property is Schema => property !== undefined);
    if (beyond.includes(`${where}.${field}`)) continue;
    assert.ok(declared.length > 0, `${where}.${field} is in the catalogue`);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) assertFits(value as Record<string, unknown>, declared.map(flatten).filter((property) => property.properties), beyond, `${where}.${field}`);
  }
}

/** The partner query answers' `amount` has only the payer's side in the catalogue; the gateway answers the order's total and currency too, as for a direct merchant. */
const PARTNER_AMOUNT = ['answer.amount.total', 'answer.amount.currency'];

function order(ledger: TradeLedger, draft: Partial<OrderDraft> & Pick<OrderDraft, 'merchant' | 'out_trade_no'>): SandboxOrder {
  const placed = ledger.place({ product: 'jsapi', description: 'tea', notify_url: 'https://merchant.example/notify', amount: { total: 100, currency: 'CNY' }, attach: 'a', ...draft }, draft);
  assert.ok(!(placed instanceof GatewayRefusal));
  return placed;
}

describe('the sandbox answers against the catalogue', () => {
  let catalogue: ReturnType<typeof loadCatalogue>;
  before(() => (catalogue = loadCatalogue(CATALOGUE)));

  it('answers a direct merchant’s order, unpaid and paid, with both query answers’ shapes', () => {
    const schemas = answerSchemas(catalogue, ['v3/pay/transactions/id/{transaction_id}', 'v3/pay/transactions/out-trade-no/{out_trade_no}']);
    const ledger = new TradeLedger();
    const placed = order(ledger, { merchant: { mchid: '1900000001', appid: 'wx1' }, out_trade_no: 'T-SHAPE-01', payer: { openid: 'o' }, time_expire: '2026-11-28T10:00:00+08:00', goods_tag: 'WXG' });
    assertFits(transactionAnswer(placed), schemas);
    ledger.settle(placed, 'SUCCESS');
    assertFits(transactionAnswer(placed), schemas);
  });

  it('answers a service provider’s order with both partner query answers’ shapes', () => {
    const schemas = answerSchemas(catalogue, ['v3/pay/partner/transactions/id/{transaction_id}', 'v3/pay/partner/transactions/out-trade-no/{out_trade_no}']);
    const ledger = new TradeLedger();
    const placed = order(ledger, { merchant: { sp_mchid: '1900000001', sp_appid: 'wxsp', sub_mchid: '1900000109', sub_appid: 'wxsub' }, out_trade_no: 'T-SHAPE-02', payer: { sp_openid: 'o', sub_openid: 'o-sub' } });
    ledger.settle(placed, 'SUCCESS');
    assertFits(transactionAnswer(placed), schemas, PARTNER_AMOUNT);
  });

  it('answers refunds with the refund answers’ shape, processing and settled', () => {
    const schemas = answerSchemas(catalogue, ['v3/refund/domestic/refunds', 'v3/refund/domestic/refunds/{out_refund_no}']);
    const ledger = new TradeLedger();
    const placed = order(ledger, { merchant: { mchid: '1900000001', appid: 'wx1' }, out_trade_no: 'T-SHAPE-03' });
    ledger.settle(placed, 'SUCCESS');
    const refund = ledger.refund({ out_trade_no: 'T-SHAPE-03', out_refund_no: 'R-SHAPE-03', amount: { refund: 10, total: 100, currency: 'CNY' } });
    assert.ok(!(refund instanceof GatewayRefusal));
    assertFits(refundAnswer(refund), schemas);
    ledger.finishRefund(refund, 'SUCCESS');
    assertFits(refundAnswer(refund), schemas);
  });

  it('writes notification resources only for what happened: a paid order, an ended refund', () => {
    const ledger = new TradeLedger();
    const placed = order(ledger, { merchant: { mchid: '1900000001', appid: 'wx1' }, out_trade_no: 'T-SHAPE-04' });
    assert.throws(() => transactionResource(placed), /not paid/);
    ledger.settle(placed, 'SUCCESS');
    assert.equal(transactionResource(placed).transaction_id, placed.transaction_id);
    const refund = ledger.refund({ out_trade_no: 'T-SHAPE-04', out_refund_no: 'R-SHAPE-04', amount: { refund: 10, total: 100, currency: 'CNY' } });
    assert.ok(!(refund instanceof GatewayRefusal));
    assert.throws(() => refundResource(refund), /still processing/);
    ledger.finishRefund(refund, 'ABNORMAL');
    assert.deepEqual([refundResource(refund).refund_status, refundResource(refund).success_time], ['ABNORMAL', undefined]);
  });
});
