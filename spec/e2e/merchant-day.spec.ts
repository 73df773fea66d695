// A merchant's day against the sandbox, through the public API only, each step a test that runs
// after the one before: a JSAPI order and the page's payment parameters, the payer paying, the
// notification verified by the express adapter in the merchant's own app (retried once while its
// database was briefly away), the order queried, a partial refund and its notification, an order
// never paid and closed, a courier paid by transfer once they confirmed, and at the end of the day
// the trade bill checked against the shop's books.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { downloadBill, expressNotifications, NotificationVerifier, PaymentParams, Rsa, Wechatpay, type NotificationEvent } from '../../lib';
import { Sandbox } from '../../lib/sandbox';
import { assertCatalogueAnswer } from '../support/catalogue-answer';

const APPID = 'wxd678efh567hg6787';
const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';

/** The shop's own books: what it sold, what it was paid, what it gave back. */
interface Books {
  /** Event ids acted on: the gateway repeats a notification until acknowledged. */
  seen: Set<string>;
  /** Cents paid, by out_trade_no, as the payment notifications said. */
  paid: Map<string, number>;
  /** Cents refunded, by out_refund_no, as the refund notifications said. */
  refunded: Map<string, number>;
  /** Cents transferred, by out_bill_no, as the transfer notifications said. */
  transferred: Map<string, number>;
  /** The verified notifications, in the order they were acted on. */
  events: NotificationEvent[];
}

/** The merchant's express app: the notification route mounted before express.json(), and its handler. */
function merchantApp(verifier: NotificationVerifier, books: Books, outage: { failures: number }): express.Express {
  const app = express();
  app.post(
    '/wechatpay/notify',
    expressNotifications(verifier, (event) => {
      if (outage.failures > 0) {
        outage.failures -= 1;
        throw new Error('the database is briefly away'); // answered 500: the gateway will try again
      }
      if (books.seen.has(event.id)) return;
      books.seen.add(event.id);
      books.events.push(event);
      if (event.event_type === 'TRANSACTION.SUCCESS' && 'out_trade_no' in event.resource) books.paid.set(event.resource.out_trade_no, event.resource.amount.payer_total);
      if (event.event_type === 'REFUND.SUCCESS') books.refunded.set(event.resource.out_refund_no, event.resource.amount.refund);
      if (event.event_type === 'MCHTRANSFER.BILL.FINISHED' && event.resource.state === 'SUCCESS') books.transferred.set(event.resource.out_bill_no, event.resource.transfer_amount);
    }, { onError: () => undefined }),
  );
  app.use(express.json());
  return app;
}

/** A trade bill's data rows by column name, and its summary by column name. */
function readBill(csv: string): { rows: Record<string, string>[]; summary: Record<string, string> } {
  const lines = csv.trimEnd().split('\r\n');
  const fields = (line: string) => line.split(',').map((field) => field.replace(/^`/, ''));
  const named = (header: string, line: string) => Object.fromEntries(fields(header).map((name, i) => [name, fields(line)[i]]));
  const [header, ...rest] = lines;
  const summary = named(rest[rest.length - 2], rest[rest.length - 1]);
  return { rows: rest.slice(0, -2).map((line) => named(header, line)), summary };
}

/** Cents as a bill writes yuan. */
const yuan = (cents: number) => (cents / 100).toFixed(2);

describe('a merchant’s day against the sandbox', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  let server: Server;
  let notifyUrl: string;
  const books: Books = { seen: new Set(), paid: new Map(), refunded: new Map(), transferred: new Map(), events: [] };
  const outage = { failures: 0 };
  /** What the day's steps learn, for the steps after. */
  const day = { outTradeNo: 'DAY-20261128-0001', total: 2590, refund: 590, transfer: 1800, transactionId: '', billDate: '' };

  before(async () => {
    sandbox = await Sandbox.start({ mode: 'public-key' });
    wxpay = new Wechatpay({ ...sandbox.clientOptions, apiv3Key: sandbox.apiv3Key });
    server = createServer(merchantApp(new NotificationVerifier({ client: wxpay }), books, outage));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    notifyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wechatpay/notify`;
  });
  after(async () => {
    await sandbox.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('places a JSAPI order and gives the page signed parameters to open the payment with', async () => {
    const { data } = await wxpay.v3.pay.transactions.jsapi.post({
      json: { appid: APPID, mchid: sandbox.mchid, description: 'Image形象店-深圳腾大-QQ公仔', out_trade_no: day.outTradeNo, notify_url: notifyUrl, amount: { total: day.total, currency: 'CNY' }, payer: { openid: OPENID } },
    });
    const params = new PaymentParams({ privateKey: sandbox.clientOptions.privateKey }).jsapi({ appId: APPID, prepayId: data.prepay_id });
    assert.equal(params.package, `prepay_id=${data.prepay_id}`);
    const message = `${params.appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`;
    assert.ok(Rsa.verify(message, params.paySign, sandbox.merchant.publicKeyPem), 'WeChat checks paySign with the merchant’s public key');
  });

  it('hears of the payment through the express adapter, once, after one retry while its database was away', async () => {
    outage.failures = 1;
    const { order, delivery } = await sandbox.pay(day.outTradeNo);
    assert.deepEqual([delivery?.acknowledged, delivery?.history.map(({ status }) => status)], [true, [500, 204]]);
    assert.equal(books.paid.get(day.outTradeNo), day.total);
    assert.equal(books.events.length, 1);
    day.transactionId = order.transaction_id ?? '';
    day.billDate = (order.success_time ?? '').slice(0, 10);
    assert.match(day.transactionId, /^\d{28}$/);
  });

  it('finds the order SUCCESS when it asks, by its own number and by WeChat Pay’s', async () => {
    const { data } = await wxpay.v3.pay.transactions.outTradeNo._out_trade_no_.get({ out_trade_no: day.outTradeNo, query: { mchid: sandbox.mchid } });
    assert.deepEqual([data.trade_state, data.transaction_id, data.amount.payer_total, data.payer?.openid], ['SUCCESS', day.transactionId, day.total, OPENID]);
    await assertCatalogueAnswer('get', `v3/pay/transactions/out-trade-no/${day.outTradeNo}`, data);
    const byId = await wxpay.v3.pay.transactions.id._transaction_id_.get({ transaction_id: day.transactionId, query: { mchid: sandbox.mchid } });
    assert.equal(byId.data.out_trade_no, day.outTradeNo);
  });

  it('refunds part of it, and hears REFUND.SUCCESS through the adapter', async () => {
    const { data } = await wxpay.v3.refund.domestic.refunds.post({ json: { transaction_id: day.transactionId, out_refund_no: `${day.outTradeNo}-R1`, reason: 'one cup short', amount: { refund: day.refund, total: day.total, currency: 'CNY' } } });
    assert.equal(data.status, 'PROCESSING');
    const { refund, delivery } = await sandbox.refundSettled(`${day.outTradeNo}-R1`);
    assert.deepEqual([refund.status, delivery?.acknowledged], ['SUCCESS', true]);
    assert.equal(books.refunded.get(`${day.outTradeNo}-R1`), day.refund);
    const queried = await wxpay.v3.refund.domestic.refunds._out_refund_no_.get({ out_refund_no: `${day.outTradeNo}-R1` });
    assert.equal(queried.data.status, 'SUCCESS');
    await assertCatalogueAnswer('get', `v3/refund/domestic/refunds/${day.outTradeNo}-R1`, queried.data);
  });

  it('closes an order the payer walked away from', async () => {
    await wxpay.v3.pay.transactions.jsapi.post({ json: { appid: APPID, mchid: sandbox.mchid, description: 'tea', out_trade_no: 'DAY-20261128-0002', notify_url: notifyUrl, amount: { total: 800 }, payer: { openid: OPENID } } });
    await wxpay.v3.pay.transactions.outTradeNo._out_trade_no_.close.post({ out_trade_no: 'DAY-20261128-0002', json: { mchid: sandbox.mchid } });
    const { data } = await wxpay.v3.pay.transactions.outTradeNo._out_trade_no_.get({ out_trade_no: 'DAY-20261128-0002', query: { mchid: sandbox.mchid } });
    assert.equal(data.trade_state, 'CLOSED');
  });

  it('pays a courier by transfer, the name encrypted to the platform key, and hears MCHTRANSFER.BILL.FINISHED once the courier confirmed', async () => {
    const { data } = await wxpay.v3.fundApp.mchTransfer.transferBills.post({
      json: {
        appid: APPID,
        out_bill_no: 'DAY20261128T1',
        openid: OPENID,
        user_name: '张三',
        transfer_amount: day.transfer,
        transfer_remark: '11月配送费',
        notify_url: notifyUrl,
        transfer_scene_id: '1005',
        transfer_scene_report_infos: [
          { info_type: '岗位类型', info_content: '外卖员' },
          { info_type: '报酬说明', info_content: '11月配送费' },
        ],
      },
      encrypt: ['user_name'],
    });
    assert.equal(data.state, 'WAIT_USER_CONFIRM', 'the courier confirms on WeChat’s page, opened with data.package_info');
    const { bill, delivery } = await sandbox.confirmTransfer('DAY20261128T1');
    assert.deepEqual([bill.state, delivery?.acknowledged], ['SUCCESS', true]);
    assert.equal(books.transferred.get('DAY20261128T1'), day.transfer);
    const queried = await wxpay.v3.fundApp.mchTransfer.transferBills.outBillNo._out_bill_no_.get({ out_bill_no: 'DAY20261128T1' });
    assert.deepEqual([queried.data.state, queried.data.transfer_bill_no], ['SUCCESS', data.transfer_bill_no]);
    await assertCatalogueAnswer('get', 'v3/fund-app/mch-transfer/transfer-bills/out-bill-no/DAY20261128T1', queried.data);
  });

  it('downloads the day’s trade bill, and finds in it exactly what its books say was paid and refunded', async () => {
    const { data } = await downloadBill(wxpay, { type: 'trade', bill_date: day.billDate, tar_type: 'GZIP' });
    const { rows, summary } = readBill(data.toString('utf8'));
    const payments = rows.filter((row) => row['交易状态'] === 'SUCCESS');
    const refunds = rows.filter((row) => row['交易状态'] === 'REFUND');
    assert.deepEqual(
      payments.map((row) => [row['商户订单号'], row['微信订单号'], row['公众账号ID'], row['商户号'], row['用户标识'], row['交易类型'], row['应结订单金额'], row['订单金额']]),
      [...books.paid].map(([outTradeNo, cents]) => [outTradeNo, day.transactionId, APPID, sandbox.mchid, OPENID, 'JSAPI', yuan(cents), yuan(cents)]),
    );
    assert.deepEqual(
      refunds.map((row) => [row['商户退款单号'], row['商户订单号'], row['退款金额'], row['申请退款金额'], row['退款状态']]),
      [...books.refunded].map(([outRefundNo, cents]) => [outRefundNo, day.outTradeNo, yuan(cents), yuan(cents), 'SUCCESS']),
    );
    assert.ok(!rows.some((row) => row['商户订单号'] === 'DAY-20261128-0002'), 'an order never paid is not in the bill');
    const paidTotal = [...books.paid.values()].reduce((sum, cents) => sum + cents, 0);
    const refundedTotal = [...books.refunded.values()].reduce((sum, cents) => sum + cents, 0);
    assert.deepEqual([summary['总交易单数'], summary['应结订单总金额'], summary['退款总金额'], summary['申请退款总金额']], [String(rows.length), yuan(paidTotal), yuan(refundedTotal), yuan(refundedTotal)]);
  });
});
