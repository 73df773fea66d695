import assert from 'node:assert/strict';
import { createCipheriv, createHash, createHmac } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DecryptionError, ErrorCode, OptionError, Transformer, VerificationError, WechatpayError, v2NotificationAnswer, verifyV2Notification } from '../../lib';

const SECRET = '192006250b4c09247ec02edce69f6a2d';
const OTHER_SECRET = 'ffffffffffffffffffffffffffffffff';

/** A payment result notification's fields, as WeChat Pay's APIv2 guide lists them. */
const PAYMENT = {
  appid: 'wx2421b1c4370ec43b',
  attach: '支付测试',
  bank_type: 'CFT',
  fee_type: 'CNY',
  is_subscribe: 'Y',
  mch_id: '10000100',
  nonce_str: '5d2b6c2a8db53831f7eda20af46e531c',
  openid: 'oUpF8uMEb4qRXf22hE3X68TekukE',
  out_trade_no: '1409811653',
  result_code: 'SUCCESS',
  return_code: 'SUCCESS',
  time_end: '20140903131540',
  total_fee: '0001',
  trade_type: 'JSAPI',
  transaction_id: '1004400740201409030005092168',
};

/** The signed string and sign, computed here with node:crypto alone (not with the SDK under test). */
function signed(fields: Record<string, string>, secret: string, algorithm: 'MD5' | 'HMAC-SHA256'): Record<string, string> {
  const message = `${Object.keys(fields)
    .filter((key) => fields[key] !== '')
    .sort()
    .map((key) => `${key}=${fields[key]}`)
    .join('&')}&key=${secret}`;
  const digest = algorithm === 'MD5' ? createHash('md5').update(message) : createHmac('sha256', secret).update(message);
  return { ...fields, sign: digest.digest('hex').toUpperCase() };
}

/** WeChat Pay's style: every value in CDATA. */
function xmlOf(fields: Record<string, string>, root = 'xml'): string {
  return `<${root}>${Object.entries(fields)
    .map(([key, value]) => `<${key}><![CDATA[${value}]]></${key}>`)
    .join('')}</${root}>`;
}

const REFUND = {
  out_refund_no: 'R20240101000001',
  out_trade_no: '1409811653',
  refund_account: 'REFUND_SOURCE_RECHARGE_FUNDS',
  refund_fee: '1',
  refund_id: '50000408942018111907145868882',
  refund_recv_accout: '支付用户零钱',
  refund_request_source: 'API',
  refund_status: 'SUCCESS',
  settlement_refund_fee: '1',
  settlement_total_fee: '1',
  success_time: '2024-01-01 10:00:00',
  total_fee: '1',
  transaction_id: '4200000215201811190261405420',
};

/** A refund notification: no sign, `req_info` = base64 AES-256-ECB of `<root>…</root>` under hex MD5 of the secret. */
function refundNotification(secret: string, plaintext = xmlOf(REFUND, 'root')): string {
  const key = Buffer.from(createHash('md5').update(secret).digest('hex'), 'utf8');
  const cipher = createCipheriv('aes-256-ecb', key, null);
  const reqInfo = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
  return xmlOf({ return_code: 'SUCCESS', appid: 'wx2421b1c4370ec43b', mch_id: '10000100', nonce_str: 'TeqClE3i0mvn3DrK', req_info: reqInfo });
}

function failure(run: () => unknown): WechatpayError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof WechatpayError, `expected a WechatpayError, got ${String(error)}`);
    return error;
  }
  assert.fail('the notification was accepted');
}

describe('verifyV2Notification', () => {
  it('verifies a payment notification signed with MD5 and returns its fields as strings', () => {
    const fields = signed(PAYMENT, SECRET, 'MD5');
    assert.deepEqual(verifyV2Notification(xmlOf(fields), { secret: SECRET }), fields);
    assert.deepEqual(verifyV2Notification(Buffer.from(xmlOf(fields)), { secret: SECRET }), fields);
  });

  it('verifies a payment notification signed with HMAC-SHA256', () => {
    const fields = signed({ ...PAYMENT, sign_type: 'HMAC-SHA256' }, SECRET, 'HMAC-SHA256');
    assert.equal(verifyV2Notification(xmlOf(fields), { secret: SECRET }).transaction_id, PAYMENT.transaction_id);
  });

  it('rejects a notification with an altered field as BAD_SIGNATURE', () => {
    for (const algorithm of ['MD5', 'HMAC-SHA256'] as const) {
      const fields = { ...signed(PAYMENT, SECRET, algorithm), total_fee: '1000' };
      const error = failure(() => verifyV2Notification(xmlOf(fields), { secret: SECRET }));
      assert.ok(error instanceof VerificationError);
      assert.equal(error.code, ErrorCode.BAD_SIGNATURE);
      assert.match(error.message, /sign field does not match/);
    }
  });

  it('rejects a notification signed with another key, never echoing either key', () => {
    const error = failure(() => verifyV2Notification(xmlOf(signed(PAYMENT, OTHER_SECRET, 'MD5')), { secret: SECRET }));
    assert.equal(error.code, ErrorCode.BAD_SIGNATURE);
    assert.ok(!error.message.includes(SECRET) && !error.message.includes(OTHER_SECRET));
  });

  it('rejects a notification with neither sign nor req_info as BAD_SIGNATURE, saying the sign is missing', () => {
    const error = failure(() => verifyV2Notification(xmlOf(PAYMENT), { secret: SECRET }));
    assert.ok(error instanceof VerificationError);
    assert.equal(error.code, ErrorCode.BAD_SIGNATURE);
    assert.match(error.message, /no sign field/);
  });

  it('decrypts the req_info of a refund notification into an object', () => {
    const notification = verifyV2Notification(refundNotification(SECRET), { secret: SECRET });
    assert.deepEqual(notification.req_info, REFUND);
    assert.equal(notification.return_code, 'SUCCESS');
    assert.equal(notification.mch_id, '10000100');
  });

  it('fails with DecryptionError when the refund req_info was encrypted under another key', () => {
    const error = failure(() => verifyV2Notification(refundNotification(OTHER_SECRET), { secret: SECRET }));
    assert.ok(error instanceof DecryptionError);
    assert.equal(error.code, ErrorCode.DECRYPTION_FAILED);
    assert.match(error.message, /req_info/);
    assert.ok(!error.message.includes(SECRET));
  });

  it('fails with DecryptionError when req_info is not base64 of whole blocks, or decrypts to something not XML', () => {
    const broken = xmlOf({ return_code: 'SUCCESS', req_info: 'not base64!' });
    assert.ok(failure(() => verifyV2Notification(broken, { secret: SECRET })) instanceof DecryptionError);
    assert.ok(failure(() => verifyV2Notification(refundNotification(SECRET, 'plain text, not XML'), { secret: SECRET })) instanceof DecryptionError);
  });

  it('rejects a body that is not flat XML as MALFORMED_BODY', () => {
    assert.equal(failure(() => verifyV2Notification('{"return_code":"SUCCESS"}', { secret: SECRET })).code, ErrorCode.MALFORMED_BODY);
    assert.equal(failure(() => verifyV2Notification('<!DOCTYPE x [<!ENTITY a "b">]><xml/>', { secret: SECRET })).code, ErrorCode.MALFORMED_BODY);
  });

  it('refuses a secret that is not 32 characters before reading the body', () => {
    for (const options of [{ secret: 'short' }, {}, null]) {
      const error = failure(() => verifyV2Notification(xmlOf(PAYMENT), options as { secret: string }));
      assert.ok(error instanceof OptionError);
      assert.equal(error.code, ErrorCode.INVALID_ARGUMENT);
      assert.ok(!error.message.includes('short'));
    }
  });
});

describe('v2NotificationAnswer', () => {
  it('answers SUCCESS / OK in CDATA, as WeChat Pay expects', () => {
    assert.equal(v2NotificationAnswer(true), '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>');
  });

  it('answers FAIL with the message given, or FAIL', () => {
    assert.equal(v2NotificationAnswer(false, '签名失败'), '<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[签名失败]]></return_msg></xml>');
    assert.equal(v2NotificationAnswer(false), '<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[FAIL]]></return_msg></xml>');
  });

  it('keeps a message with ]]> inside its CDATA', () => {
    const message = 'x]]><return_code>SUCCESS</return_code>';
    assert.deepEqual(Transformer.toObject(v2NotificationAnswer(false, message)), { return_code: 'FAIL', return_msg: message });
  });

  it('refuses an ok that is not a boolean', () => {
    assert.equal(failure(() => v2NotificationAnswer('true' as unknown as boolean)).code, ErrorCode.INVALID_ARGUMENT);
  });
});

describe('an APIv2 notification handler over real HTTP', () => {
  let server: Server;
  let port: number;
  const handled: Record<string, unknown>[] = [];

  before(async () => {
    // The README recipe: keep the raw body, verify it, answer in XML.
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        let answer: string;
        try {
          handled.push(verifyV2Notification(Buffer.concat(chunks), { secret: SECRET }));
          answer = v2NotificationAnswer(true);
          res.statusCode = 200;
        } catch {
          answer = v2NotificationAnswer(false, 'verification failed');
          res.statusCode = 400;
        }
        res.setHeader('Content-Type', 'text/xml; charset=utf-8');
        res.end(answer);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))));

  function post(body: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/notify/v2', agent: false, headers: { 'Content-Type': 'text/xml' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('answers SUCCESS to a signed payment notification and hands its fields over', async () => {
    const fields = signed(PAYMENT, SECRET, 'MD5');
    const answer = await post(xmlOf(fields));
    assert.equal(answer.status, 200);
    assert.equal(answer.body, '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>');
    assert.deepEqual(handled.at(-1), fields);
  });

  it('answers SUCCESS to a refund notification and hands over the decrypted req_info', async () => {
    const answer = await post(refundNotification(SECRET));
    assert.equal(answer.status, 200);
    assert.match(answer.body, /SUCCESS/);
    assert.deepEqual(handled.at(-1)?.req_info, REFUND);
  });

  it('answers FAIL to a tampered notification', async () => {
    const count = handled.length;
    const answer = await post(xmlOf({ ...signed(PAYMENT, SECRET, 'HMAC-SHA256'), total_fee: '1000' }));
    assert.equal(answer.status, 400);
    assert.equal(answer.body, '<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[verification failed]]></return_msg></xml>');
    assert.equal(handled.length, count);
  });
});
