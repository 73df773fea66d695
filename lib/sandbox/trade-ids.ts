import { randomBytes, randomInt } from 'node:crypto';
import { chinaDigits } from './china-time';

/** `YYYYMMDD` of `date` in Beijing time. */
function compactDay(date: Date): string {
  return chinaDigits(date).slice(0, 8);
}

/** A string of `length` random decimal digits. */
function digits(length: number): string {
  let text = '';
  while (text.length < length) text += String(randomInt(0, 1e9)).padStart(9, '0');
  return text.slice(0, length);
}

/** A 28-digit WeChat Pay order number (微信支付订单号), `4200…` then the day, unique within the process by `sequence`. */
export function transactionId(sequence: number, date: Date): string {
  return `4200${String(sequence % 1e6).padStart(6, '0')}${compactDay(date)}${digits(10)}`;
}

/** A 29-digit WeChat Pay refund number (微信支付退款单号), `50…` then the day. */
export function refundId(sequence: number, date: Date): string {
  return `50${String(sequence % 1e9).padStart(9, '0')}${compactDay(date)}${digits(10)}`;
}

/** A `prepay_id`: `wx`, the time to the second, then random characters (36 in all, like the gateway's). */
export function prepayId(date: Date): string {
  return `wx${chinaDigits(date)}${randomBytes(10).toString('hex')}`;
}

/** The page an H5 order sends the payer to (`h5_url`); the sandbox does not serve it. */
export function h5Url(prepay: string): string {
  return `https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=${prepay}&package=${digits(10)}`;
}

/** The QR code content a Native order answers (`code_url`); only WeChat's scanner understands it. */
export function codeUrl(): string {
  return `weixin://wxpay/bizpayurl?pr=${randomBytes(6).toString('base64url')}`;
}

/** An openid-like payer id (28 characters), for payers the order did not name. */
export function payerOpenid(): string {
  return `o${randomBytes(20).toString('base64url')}`;
}

/** A 40-digit WeChat Pay transfer bill number (微信转账单号), `1330…` then the day, unique within the process by `sequence`. */
export function transferBillNo(sequence: number, date: Date): string {
  return `1330${String(sequence % 1e8).padStart(8, '0')}${compactDay(date)}${digits(20)}`;
}

/** The `package_info` a transfer bill answers, which the payee's confirmation page (`requestMerchantTransfer`) takes; only WeChat understands it. */
export function transferPackage(): string {
  return randomBytes(48).toString('base64');
}

/** A 28-digit WeChat Pay profit-sharing order number (微信分账单号), `3008…` then the day; return numbers (微信回退单号) are spelt alike. */
export function profitSharingOrderId(sequence: number, date: Date): string {
  return `3008${String(sequence % 1e6).padStart(6, '0')}${compactDay(date)}${digits(10)}`;
}

/** A 23-digit profit-sharing detail number (分账明细单号), one per receiver of an order, `36…` then the day. */
export function profitSharingDetailId(sequence: number, date: Date): string {
  return `36${String(sequence % 1e3).padStart(3, '0')}${compactDay(date)}${digits(10)}`;
}
