import { chinaClock } from './china-time';
import { TRADE_TYPES, type SandboxOrder, type SandboxRefund } from './trade-ledger';

/** The columns of WeChat Pay's trade bill, in its `ALL` layout (payments and refunds in one table). */
export const TRADE_BILL_COLUMNS = [
  '交易时间', '公众账号ID', '商户号', '特约商户号', '设备号', '微信订单号', '商户订单号', '用户标识', '交易类型', '交易状态',
  '付款银行', '货币种类', '应结订单金额', '代金券金额', '微信退款单号', '商户退款单号', '退款金额', '充值券退款金额', '退款类型', '退款状态',
  '商品名称', '商户数据包', '手续费', '费率', '订单金额', '申请退款金额', '费率备注',
] as const;

/** The columns of the summary at the bill's end. */
export const TRADE_BILL_SUMMARY_COLUMNS = ['总交易单数', '应结订单总金额', '退款总金额', '充值券退款总金额', '手续费总金额', '订单总金额', '申请退款总金额'] as const;

/** The bill types the sandbox writes from its own transactions: both kinds of rows, payments only, refunds only. */
export type TradeBillKind = 'ALL' | 'SUCCESS' | 'REFUND';

/** The fee rate of every sandbox payment, as the bill writes it. */
const FEE_RATE = '0.60%';
/** The fee of one cent at 0.60%, in hundred-thousandths of a yuan (bills give fees to five decimals). */
const FEE_PER_CENT = 6;

/** Cents as yuan, two decimals. */
function yuan(cents: number): string {
  return (cents / 100).toFixed(2);
}

/** Hundred-thousandths of a yuan as yuan, five decimals, signed. */
function fee(units: number): string {
  const sign = units < 0 ? '-' : '';
  const abs = Math.abs(units);
  return `${sign}${Math.floor(abs / 100000)}.${String(abs % 100000).padStart(5, '0')}`;
}

/** A field as the bill writes it: after a backtick (so that spreadsheets keep long numbers whole), on one line. */
function cell(value: string): string {
  return `\`${value.replace(/[\r\n]+/g, ' ')}`;
}

/** The merchant, payer and order columns a payment and its refunds share. */
function orderCells(order: SandboxOrder): { merchant: string[]; order: string[] } {
  const { merchant, payer } = order;
  const ids = 'mchid' in merchant ? [merchant.appid, merchant.mchid, '0'] : [merchant.sp_appid, merchant.sp_mchid, merchant.sub_mchid];
  const openid = payer?.openid ?? payer?.sp_openid ?? payer?.sub_openid ?? '';
  return { merchant: [...ids, ''], order: [order.transaction_id ?? '', order.out_trade_no, openid, TRADE_TYPES[order.product]] };
}

/** A row: when it happened, its cells, and what it adds to the summary. */
interface Row {
  time: Date;
  cells: string[];
  settled: number;
  refunded: number;
  fee: number;
  total: number;
}

function paymentRow(order: SandboxOrder): Row {
  const { merchant, order: ids } = orderCells(order);
  const total = order.amount.total;
  const time = order.success_time ?? order.created_at;
  const feeUnits = total * FEE_PER_CENT;
  const cells = [chinaClock(time), ...merchant, ...ids, 'SUCCESS', order.bank_type ?? 'OTHERS', order.amount.currency, yuan(total), '0.00', '0', '0', '0.00', '0.00', '', '', order.description, order.attach ?? '', fee(feeUnits), FEE_RATE, yuan(total), '0.00', ''];
  return { time, cells, settled: total, refunded: 0, fee: feeUnits, total };
}

function refundRow(refund: SandboxRefund): Row {
  const { order } = refund;
  const { merchant, order: ids } = orderCells(order);
  const amount = refund.amount.refund;
  // The fee of the refunded part goes back to the merchant: a negative fee.
  const feeUnits = -amount * FEE_PER_CENT;
  const cells = [chinaClock(refund.created_at), ...merchant, ...ids, 'REFUND', order.bank_type ?? 'OTHERS', order.amount.currency, '0.00', '0.00', refund.refund_id, refund.out_refund_no, yuan(amount), '0.00', 'ORIGINAL', refund.status, order.description, order.attach ?? '', fee(feeUnits), FEE_RATE, '0.00', yuan(amount), ''];
  return { time: refund.created_at, cells, settled: 0, refunded: amount, fee: feeUnits, total: 0 };
}

/**
 * A day's trade bill as WeChat Pay writes it (CRLF lines, a backtick before each field): the
 * header, a row per payment (`SUCCESS`) and per refund accepted (`REFUND`, with the refund's
 * status when the bill was made) in time order, then the summary's header and line. `ALL` has
 * both kinds of rows, `SUCCESS` payments only, `REFUND` refunds only; all three in the ALL layout.
 */
export function tradeBillCsv(entries: { payments: readonly SandboxOrder[]; refunds: readonly SandboxRefund[] }, kind: TradeBillKind): string {
  const rows = [...(kind === 'REFUND' ? [] : entries.payments.map(paymentRow)), ...(kind === 'SUCCESS' ? [] : entries.refunds.map(refundRow))].sort((a, b) => a.time.getTime() - b.time.getTime());
  const sum = (field: 'settled' | 'refunded' | 'fee' | 'total') => rows.reduce((total, row) => total + row[field], 0);
  const summary = [String(rows.length), yuan(sum('settled')), yuan(sum('refunded')), '0.00', fee(sum('fee')), yuan(sum('total')), yuan(sum('refunded'))];
  const lines = [TRADE_BILL_COLUMNS.join(','), ...rows.map((row) => row.cells.map(cell).join(',')), TRADE_BILL_SUMMARY_COLUMNS.join(','), summary.map(cell).join(',')];
  return `${lines.join('\r\n')}\r\n`;
}
