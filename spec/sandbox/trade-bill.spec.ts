// A day's trade bill written from the ledger: WeChat Pay's ALL layout, a row per payment and per
// refund in time order, fees to five decimals, and a summary that adds the rows up.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayRefusal } from '../../lib/sandbox/gateway-refusal';
import { TRADE_BILL_COLUMNS, TRADE_BILL_SUMMARY_COLUMNS, tradeBillCsv } from '../../lib/sandbox/trade-bill';
import { TradeLedger, type OrderDraft, type SandboxOrder } from '../../lib/sandbox/trade-ledger';

/** A ledger whose clock a spec sets. */
function ledgerAt(start: string): { ledger: TradeLedger; at: (time: string) => void } {
  let now = new Date(start);
  return { ledger: new TradeLedger(() => now), at: (time) => (now = new Date(time)) };
}

function paid(ledger: TradeLedger, draft: Omit<OrderDraft, 'product' | 'description' | 'notify_url'> & Partial<OrderDraft>): SandboxOrder {
  const order = ledger.place({ product: 'jsapi', description: 'Image形象店-深圳腾大-QQ公仔', notify_url: 'https://merchant.example/notify', ...draft }, draft);
  assert.ok(!(order instanceof GatewayRefusal));
  ledger.settle(order, 'SUCCESS');
  return order;
}

/** The bill's lines, each split into its fields with the backticks taken off. */
function table(csv: string): string[][] {
  assert.ok(csv.endsWith('\r\n'));
  return csv
    .slice(0, -2)
    .split('\r\n')
    .map((line) => line.split(',').map((field) => field.replace(/^`/, '')));
}

describe('the trade bill of a sandbox day', () => {
  it('writes a payment and its refund in the ALL layout, and sums them up', () => {
    const { ledger, at } = ledgerAt('2026-11-28T02:00:00Z'); // 10:00 in Beijing
    const order = paid(ledger, { merchant: { mchid: '1900000001', appid: 'wxd678efh567hg6787' }, out_trade_no: 'T-BILL-001', attach: 'table 7', amount: { total: 12345, currency: 'CNY' }, payer: { openid: 'o-payer' } });
    at('2026-11-28T03:30:05Z');
    const refund = ledger.refund({ out_trade_no: 'T-BILL-001', out_refund_no: 'R-BILL-001', amount: { refund: 2345, total: 12345, currency: 'CNY' } });
    assert.ok(!(refund instanceof GatewayRefusal));
    ledger.finishRefund(refund, 'SUCCESS');
    const lines = table(tradeBillCsv(ledger.day('2026-11-28'), 'ALL'));
    assert.deepEqual(lines[0], [...TRADE_BILL_COLUMNS]);
    assert.deepEqual(lines[1], ['2026-11-28 10:00:00', 'wxd678efh567hg6787', '1900000001', '0', '', order.transaction_id, 'T-BILL-001', 'o-payer', 'JSAPI', 'SUCCESS', 'OTHERS', 'CNY', '123.45', '0.00', '0', '0', '0.00', '0.00', '', '', 'Image形象店-深圳腾大-QQ公仔', 'table 7', '0.74070', '0.60%', '123.45', '0.00', '']);
    assert.deepEqual(lines[2], ['2026-11-28 11:30:05', 'wxd678efh567hg6787', '1900000001', '0', '', order.transaction_id, 'T-BILL-001', 'o-payer', 'JSAPI', 'REFUND', 'OTHERS', 'CNY', '0.00', '0.00', refund.refund_id, 'R-BILL-001', '23.45', '0.00', 'ORIGINAL', 'SUCCESS', 'Image形象店-深圳腾大-QQ公仔', 'table 7', '-0.14070', '0.60%', '0.00', '23.45', '']);
    assert.deepEqual(lines[3], [...TRADE_BILL_SUMMARY_COLUMNS]);
    assert.deepEqual(lines[4], ['2', '123.45', '23.45', '0.00', '0.60000', '123.45', '23.45']);
    assert.equal(lines.length, 5);
    for (const line of lines) assert.equal(line.length, line === lines[3] || line === lines[4] ? 7 : 27);
  });

  it('writes every row with a backtick before each field', () => {
    const { ledger } = ledgerAt('2026-11-28T02:00:00Z');
    paid(ledger, { merchant: { mchid: '1900000001', appid: 'wx1' }, out_trade_no: 'T-BILL-002', amount: { total: 1, currency: 'CNY' }, payer: { openid: 'o' } });
    const [header, row, summaryHeader, summary] = tradeBillCsv(ledger.day('2026-11-28'), 'ALL').split('\r\n');
    assert.ok(!header.includes('`') && !summaryHeader.includes('`'));
    assert.ok(row.split(',').every((field) => field.startsWith('`')));
    assert.equal(summary, '`1,`0.01,`0.00,`0.00,`0.00006,`0.01,`0.00', 'a one-cent payment costs six hundred-thousandths of a yuan');
  });

  it('keeps payments only in a SUCCESS bill and refunds only in a REFUND bill, the refund with the status it had when the bill was made', () => {
    const { ledger, at } = ledgerAt('2026-11-28T01:00:00Z');
    paid(ledger, { merchant: { mchid: '1900000001', appid: 'wx1' }, out_trade_no: 'T-BILL-003', amount: { total: 500, currency: 'CNY' }, payer: { openid: 'o' } });
    at('2026-11-28T01:05:00Z');
    paid(ledger, { merchant: { mchid: '1900000001', appid: 'wx1' }, out_trade_no: 'T-BILL-004', amount: { total: 700, currency: 'CNY' }, payer: { openid: 'o' } });
    ledger.refund({ out_trade_no: 'T-BILL-003', out_refund_no: 'R-BILL-003', amount: { refund: 100, total: 500, currency: 'CNY' } });
    const success = table(tradeBillCsv(ledger.day('2026-11-28'), 'SUCCESS'));
    assert.deepEqual(success.slice(1, -2).map((row) => [row[6], row[9]]), [['T-BILL-003', 'SUCCESS'], ['T-BILL-004', 'SUCCESS']]);
    assert.deepEqual(success[success.length - 1], ['2', '12.00', '0.00', '0.00', '0.07200', '12.00', '0.00']);
    const refunds = table(tradeBillCsv(ledger.day('2026-11-28'), 'REFUND'));
    assert.deepEqual(refunds.slice(1, -2).map((row) => [row[6], row[9], row[15], row[19]]), [['T-BILL-003', 'REFUND', 'R-BILL-003', 'PROCESSING']]);
    assert.deepEqual(refunds[refunds.length - 1], ['1', '0.00', '1.00', '0.00', '-0.00600', '0.00', '1.00']);
  });

  it('writes a service provider’s order with its own appid and merchant id and the sub-merchant’s in 特约商户号', () => {
    const { ledger } = ledgerAt('2026-11-28T01:00:00Z');
    paid(ledger, { merchant: { sp_mchid: '1900000001', sp_appid: 'wxsp', sub_mchid: '1900000109' }, out_trade_no: 'T-BILL-005', amount: { total: 100, currency: 'CNY' }, payer: { sp_openid: 'o-sp' } });
    const [, row] = table(tradeBillCsv(ledger.day('2026-11-28'), 'ALL'));
    assert.deepEqual(row.slice(1, 4).concat(row[7]), ['wxsp', '1900000001', '1900000109', 'o-sp']);
  });

  it('writes an empty day as its header and a zero summary', () => {
    assert.equal(tradeBillCsv({ payments: [], refunds: [] }, 'ALL'), `${TRADE_BILL_COLUMNS.join(',')}\r\n${TRADE_BILL_SUMMARY_COLUMNS.join(',')}\r\n\`0,\`0.00,\`0.00,\`0.00,\`0.00000,\`0.00,\`0.00\r\n`);
  });

  it('keeps each row on one line and in its columns when the description holds a line break', () => {
    const { ledger } = ledgerAt('2026-11-28T01:00:00Z');
    paid(ledger, { merchant: { mchid: '1900000001', appid: 'wx1' }, out_trade_no: 'T-BILL-006', description: 'two\r\nlines', amount: { total: 100, currency: 'CNY' }, payer: { openid: 'o' } });
    const lines = table(tradeBillCsv(ledger.day('2026-11-28'), 'ALL'));
    assert.equal(lines.length, 4);
    assert.equal(lines[1][20], 'two lines');
  });
});
