import { randomInt } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { unsignedXml, type V2Reply, type V2Route } from './v2-routes';

/**
 * The business outcomes a micropay `auth_code` provokes by its last four digits, so that tests
 * can reach the answers a cashier must handle. Any other code pays at once.
 */
export const AUTH_CODE_OUTCOMES: Readonly<Record<string, { err_code: string; err_code_des: string }>> = {
  /** The payer must confirm with a password: the cashier polls the order. */
  '0000': { err_code: 'USERPAYING', err_code_des: '需要用户输入支付密码' },
  '9999': { err_code: 'AUTHCODEEXPIRE', err_code_des: '二维码已过期，请用户在微信上刷新后再试' },
  '8888': { err_code: 'NOTENOUGH', err_code_des: '余额不足' },
  /** The outcome is unknown: the cashier queries, then reverses. */
  '7777': { err_code: 'SYSTEMERROR', err_code_des: '系统超时' },
};

/** The bill date that has no bill, to provoke `No Bill Exist`. */
export const NO_BILL_DATE = '20000101';

const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';

/** Fields echoed from request to answer when the request has them. */
const ECHOED = ['appid', 'mch_id', 'sub_appid', 'sub_mch_id', 'device_info'];

function echo(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(ECHOED.filter((name) => fields[name] !== undefined).map((name) => [name, fields[name]]));
}

/** `yyyyMMddHHmmss` in Beijing time, the APIv2 timestamp format. */
function beijingTime(date = new Date()): string {
  return new Date(date.getTime() + 8 * 3600 * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function digits(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(randomInt(10));
  return out;
}

/** A 28-digit id shaped like the gateway's (`4200…` transactions, `5030…` refunds). */
function gatewayId(prefix: string): string {
  return `${prefix}${beijingTime().slice(0, 8)}${digits(28 - prefix.length - 8)}`;
}

/** A signed `result_code` FAIL: the request was understood, the business said no. */
function businessFailure(fields: Record<string, string>, err_code: string, err_code_des: string): V2Reply {
  return { ...echo(fields), result_code: 'FAIL', err_code, err_code_des };
}

function missing(fields: Record<string, string>, required: readonly string[]): string | undefined {
  return required.find((name) => fields[name] === undefined || fields[name] === '');
}

const AMOUNT = /^[1-9]\d{0,9}$/;

/**
 * The APIv2 payment routes with the fields of the catalogue: `/pay/micropay` (see
 * {@link AUTH_CODE_OUTCOMES}), `/secapi/pay/refund` (mutual TLS), `/pay/downloadbill` (CSV,
 * gzipped on `tar_type=GZIP`; {@link NO_BILL_DATE} has no bill). Payments and refunds live in
 * this sandbox only; a repeated `out_trade_no` or `out_refund_no` gets its first answer again.
 */
export function paymentRoutesV2(): V2Route[] {
  const payments = new Map<string, Record<string, string>>();
  const refunds = new Map<string, Record<string, string>>();
  return [
    {
      path: '/pay/micropay',
      handle: (fields) => {
        const absent = missing(fields, ['appid', 'nonce_str', 'body', 'out_trade_no', 'total_fee', 'spbill_create_ip', 'auth_code']);
        if (absent) return businessFailure(fields, 'PARAM_ERROR', `缺少参数${absent}`);
        if (!AMOUNT.test(fields.total_fee)) return businessFailure(fields, 'PARAM_ERROR', 'total_fee参数错误');
        const outcome = AUTH_CODE_OUTCOMES[fields.auth_code.slice(-4)];
        if (outcome) return businessFailure(fields, outcome.err_code, outcome.err_code_des);
        let payment = payments.get(fields.out_trade_no);
        if (!payment) {
          payment = {
            openid: OPENID,
            is_subscribe: 'N',
            trade_type: 'MICROPAY',
            bank_type: 'OTHERS',
            fee_type: fields.fee_type ?? 'CNY',
            total_fee: fields.total_fee,
            cash_fee_type: 'CNY',
            cash_fee: fields.total_fee,
            transaction_id: gatewayId('4200000'),
            out_trade_no: fields.out_trade_no,
            ...(fields.attach !== undefined ? { attach: fields.attach } : {}),
            time_end: beijingTime(),
          };
          payments.set(fields.out_trade_no, payment);
        }
        return { ...echo(fields), result_code: 'SUCCESS', ...payment };
      },
    },
    {
      path: '/secapi/pay/refund',
      handle: (fields) => {
        const absent = missing(fields, ['appid', 'nonce_str', 'out_refund_no', 'total_fee', 'refund_fee']);
        if (absent) return businessFailure(fields, 'PARAM_ERROR', `缺少参数${absent}`);
        if (!fields.transaction_id && !fields.out_trade_no) return businessFailure(fields, 'PARAM_ERROR', '缺少参数transaction_id或out_trade_no');
        if (!AMOUNT.test(fields.total_fee) || !AMOUNT.test(fields.refund_fee)) return businessFailure(fields, 'PARAM_ERROR', 'total_fee或refund_fee参数错误');
        if (Number(fields.refund_fee) > Number(fields.total_fee)) return businessFailure(fields, 'INVALID_REQUEST', '退款金额大于支付金额');
        let refund = refunds.get(fields.out_refund_no);
        if (!refund) {
          const payment = [...payments.values()].find((paid) => paid.transaction_id === fields.transaction_id || paid.out_trade_no === fields.out_trade_no);
          refund = {
            transaction_id: fields.transaction_id || payment?.transaction_id || gatewayId('4200000'),
            out_trade_no: fields.out_trade_no || payment?.out_trade_no || `SANDBOX${digits(16)}`,
            out_refund_no: fields.out_refund_no,
            refund_id: gatewayId('5030000'),
            refund_fee: fields.refund_fee,
            total_fee: fields.total_fee,
            fee_type: fields.refund_fee_type ?? 'CNY',
            cash_fee: fields.total_fee,
            cash_refund_fee: fields.refund_fee,
            coupon_refund_fee: '0',
            coupon_refund_count: '0',
          };
          refunds.set(fields.out_refund_no, refund);
        }
        return { ...echo(fields), result_code: 'SUCCESS', ...refund };
      },
    },
    {
      path: '/pay/downloadbill',
      handle: (fields) => {
        if (!/^\d{8}$/.test(fields.bill_date ?? '')) return unsignedXml({ return_code: 'FAIL', return_msg: 'invalid bill_date', error_code: '20001' });
        if (fields.bill_date === NO_BILL_DATE) return unsignedXml({ return_code: 'FAIL', return_msg: 'No Bill Exist', error_code: '20002' });
        const billType = fields.bill_type ?? 'ALL';
        if (!['ALL', 'SUCCESS', 'REFUND', 'RECHARGE_REFUND'].includes(billType)) return unsignedXml({ return_code: 'FAIL', return_msg: 'invalid bill_type', error_code: '20001' });
        if (fields.tar_type !== undefined && fields.tar_type !== 'GZIP') return unsignedXml({ return_code: 'FAIL', return_msg: 'invalid tar_type', error_code: '20001' });
        const csv = Buffer.from(tradeBill(fields, billType));
        // The real header is not documented; the body is what a client goes by (XML means failure).
        return fields.tar_type === 'GZIP' ? { raw: gzipSync(csv), contentType: 'application/octet-stream' } : { raw: csv, contentType: 'text/plain; charset=utf-8' };
      },
    },
  ];
}

const BILL_COLUMNS = '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
const BILL_SUMMARY = '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';

/** A trade bill in the gateway's CSV layout: every data cell starts with a backtick, so spreadsheets keep long ids as text. */
function tradeBill(fields: Record<string, string>, billType: string): string {
  const date = `${fields.bill_date.slice(0, 4)}-${fields.bill_date.slice(4, 6)}-${fields.bill_date.slice(6, 8)}`;
  const paid = [`${date} 10:15:02`, fields.appid ?? '', fields.mch_id, '0', '', `4200000${fields.bill_date}0000000000001`, 'SANDBOX-1', OPENID, 'MICROPAY', 'SUCCESS', 'OTHERS', 'CNY', '1.00', '0.00', '0', '0', '0.00', '0.00', '', '', 'sandbox goods', '', '0.01000', '0.60%', '1.00', '0.00', ''];
  const refunded = [`${date} 11:20:45`, fields.appid ?? '', fields.mch_id, '0', '', `4200000${fields.bill_date}0000000000001`, 'SANDBOX-1', OPENID, 'MICROPAY', 'REFUND', 'OTHERS', 'CNY', '0.00', '0.00', `5030000${fields.bill_date}0000000000001`, 'SANDBOX-R1', '1.00', '0.00', 'ORIGINAL', 'SUCCESS', 'sandbox goods', '', '-0.01000', '0.60%', '0.00', '1.00', ''];
  const rows = billType === 'SUCCESS' ? [paid] : billType === 'ALL' ? [paid, refunded] : [refunded];
  const cell = (value: string) => `\`${value}`;
  const settled = billType === 'SUCCESS' || billType === 'ALL' ? '1.00' : '0.00';
  const refundedTotal = billType === 'SUCCESS' ? '0.00' : '1.00';
  const summary = [String(rows.length), settled, refundedTotal, '0.00', '0.00000', settled, refundedTotal];
  return `${[BILL_COLUMNS, ...rows.map((row) => row.map(cell).join(',')), BILL_SUMMARY, summary.map(cell).join(',')].join('\r\n')}\r\n`;
}
