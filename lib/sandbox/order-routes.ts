import { fieldError } from './field-rules';
import { GatewayRefusal } from './gateway-refusal';
import { transactionAnswer } from './order-answers';
import { checkOrder } from './order-rules';
import type { Route, SandboxReply } from './routes';
import type { OrderDraft, OrderPayer, OrderProduct, SandboxOrder, TradeLedger } from './trade-ledger';

const PRODUCTS: readonly OrderProduct[] = ['jsapi', 'app', 'h5', 'native'];

/** An order body that passed {@link checkOrder}. */
interface OrderBody {
  appid?: string;
  mchid?: string;
  sp_appid?: string;
  sp_mchid?: string;
  sub_appid?: string;
  sub_mchid?: string;
  description: string;
  out_trade_no: string;
  notify_url: string;
  attach?: string;
  time_expire?: string;
  goods_tag?: string;
  amount: { total: number; currency?: string };
  payer?: OrderPayer;
}

/** The order a checked body places. */
function draftOf(body: OrderBody, product: OrderProduct): OrderDraft {
  const merchant = body.sp_mchid !== undefined ? { sp_mchid: body.sp_mchid, sp_appid: body.sp_appid ?? '', sub_mchid: body.sub_mchid ?? '', ...(body.sub_appid !== undefined ? { sub_appid: body.sub_appid } : {}) } : { mchid: body.mchid ?? '', appid: body.appid ?? '' };
  const draft: OrderDraft = { product, merchant, out_trade_no: body.out_trade_no, description: body.description, notify_url: body.notify_url, amount: { total: body.amount.total, currency: body.amount.currency ?? 'CNY' } };
  for (const field of ['attach', 'time_expire', 'goods_tag'] as const) if (body[field] !== undefined) draft[field] = body[field];
  if (body.payer !== undefined) draft.payer = { ...body.payer };
  return draft;
}

/** The merchant ids a query or close names (query string or body), checked: the sub-merchant's, or a 400 naming the field. */
function scopeOf(fields: Record<string, unknown>, partner: boolean, mchid: string, location: 'body' | 'query'): { sub_mchid?: string } | SandboxReply {
  const merchantField = partner ? 'sp_mchid' : 'mchid';
  const merchant = fields[merchantField];
  if (typeof merchant !== 'string' || merchant === '') return fieldError(merchantField, 'is required', location);
  if (merchant !== mchid) return fieldError(merchantField, `is not the merchant that signed the request (${mchid})`, location);
  if (!partner) return {};
  const sub_mchid = fields.sub_mchid;
  return typeof sub_mchid === 'string' && sub_mchid !== '' ? { sub_mchid } : fieldError('sub_mchid', 'is required', location);
}

function isReply(scope: { sub_mchid?: string } | SandboxReply): scope is SandboxReply {
  return 'status' in scope;
}

const NOT_FOUND = new GatewayRefusal(404, 'ORDER_NOT_EXIST', '订单不存在');
/** The docs: a combined order's sub-orders are closed only by the combined order's close call. */
const SUB_ORDER = new GatewayRefusal(400, 'INVALID_REQUEST', '合单支付订单只能使用合单关单接口关单');

/**
 * The payment routes of a direct merchant (`/v3/pay/transactions/…`) or of a service provider
 * (`/v3/pay/partner/transactions/…`) over `ledger`: placing JSAPI, APP, H5 and Native orders
 * (checked as the gateway checks them), querying by `transaction_id` (paid orders only) or by
 * `out_trade_no` (a combined order's sub-orders too), and closing (not a sub-order: 400
 * `INVALID_REQUEST`). `mchid` is the merchant that signs requests.
 */
export function orderRoutes(ledger: TradeLedger, mchid: string, partner: boolean): Route[] {
  const base = partner ? '/v3/pay/partner/transactions' : '/v3/pay/transactions';
  const answer = (order: SandboxOrder | undefined): SandboxReply => (order ? { json: transactionAnswer(order) } : NOT_FOUND.reply());
  const placing = PRODUCTS.map(
    (product): Route => ({
      method: 'POST',
      path: `${base}/${product}`,
      handle: ({ json }) => {
        const failure = checkOrder(json, product, partner, mchid);
        if (failure) return failure;
        const placed = ledger.place(draftOf(json as OrderBody, product), json);
        return placed instanceof GatewayRefusal ? placed.reply() : { json: placed.prepay };
      },
    }),
  );
  return [
    ...placing,
    {
      method: 'GET',
      path: `${base}/id/{transaction_id}`,
      handle: ({ params, query }) => {
        const scope = scopeOf(query, partner, mchid, 'query');
        return isReply(scope) ? scope : answer(ledger.transaction(params.transaction_id, scope.sub_mchid));
      },
    },
    {
      method: 'GET',
      path: `${base}/out-trade-no/{out_trade_no}`,
      handle: ({ params, query }) => {
        const scope = scopeOf(query, partner, mchid, 'query');
        return isReply(scope) ? scope : answer(ledger.order(params.out_trade_no, scope.sub_mchid));
      },
    },
    {
      method: 'POST',
      path: `${base}/out-trade-no/{out_trade_no}/close`,
      handle: ({ params, json }) => {
        const body = json !== null && typeof json === 'object' ? (json as Record<string, unknown>) : {};
        const scope = scopeOf(body, partner, mchid, 'body');
        if (isReply(scope)) return scope;
        const order = ledger.order(params.out_trade_no, scope.sub_mchid);
        if (!order) return NOT_FOUND.reply();
        if (order.combine_out_trade_no !== undefined) return SUB_ORDER.reply();
        return ledger.close(order)?.reply() ?? { status: 204 };
      },
    },
  ];
}
