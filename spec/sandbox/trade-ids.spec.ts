// The ids the sandbox hands out look like the gateway's: lengths, prefixes, the day inside.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeUrl, h5Url, payerOpenid, prepayId, profitSharingDetailId, profitSharingOrderId, refundId, transactionId } from '../../lib/sandbox/trade-ids';

describe('sandbox ids', () => {
  const date = new Date('2026-11-28T02:03:04Z'); // 10:03:04 in Beijing

  it('numbers transactions with 28 digits and refunds with 29, the Beijing day inside, different each time', () => {
    assert.match(transactionId(7, date), /^420000000720261128\d{10}$/);
    assert.match(refundId(7, date), /^5000000000720261128\d{10}$/);
    assert.notEqual(transactionId(1, date), transactionId(1, date));
  });

  it('numbers profit-sharing orders (and returns) with 28 digits and their details with 23, the Beijing day inside', () => {
    assert.match(profitSharingOrderId(7, date), /^300800000720261128\d{10}$/);
    assert.match(profitSharingDetailId(7, date), /^3600720261128\d{10}$/);
    assert.notEqual(profitSharingOrderId(1, date), profitSharingOrderId(1, date));
  });

  it('writes prepay ids, H5 pages, QR codes and openids as the gateway’s look', () => {
    const prepay = prepayId(date);
    assert.match(prepay, /^wx20261128100304[0-9a-f]{20}$/);
    assert.equal(prepay.length, 36);
    assert.match(h5Url(prepay), new RegExp(`^https://wx\\.tenpay\\.com/cgi-bin/mmpayweb-bin/checkmweb\\?prepay_id=${prepay}&package=\\d{10}$`));
    assert.match(codeUrl(), /^weixin:\/\/wxpay\/bizpayurl\?pr=[\w-]{8}$/);
    assert.match(payerOpenid(), /^o[\w-]{27}$/);
  });
});
