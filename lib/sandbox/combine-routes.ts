import { combinedAnswer } from './combine-answers';
import type { CombineLedger, CombinedDraft, CombineProduct, NamedSubOrder, SubOrderDraft } from './combine-ledger';
import { checkCombinedClose, checkCombinedOrder } from './combine-rules';
import { GatewayRefusal } from './gateway-refusal';
import type { Route } from './routes';
import type { OrderMerchant, OrderPayer } from './trade-ledger';

const PRODUCTS: readonly CombineProduct[] = ['jsapi', 'app', 'h5', 'native', 'miniprogram'];
const BASE = '/v3/combine-transactions';

/** A sub-order of a body that passed {@link checkCombinedOrder}. */
interface SubOrderBody {
  mchid: string;
  out_trade_no: string;
  description: string;
  attach: string;
  amount: { total_amount: number; currency: string };
  sub_mchid?: string;
  sub_appid?: string;
  goods_tag?: string;
  individual_auth_id?: string;
  individual_name?: string;
}

/** A body that passed {@link checkCombinedOrder}. */
interface CombinedBody {
  combine_appid: string;
  combine_mchid: string;
  combine_out_trade_no: string;
  notify_url?: string;
  time_expire?: string;
  scene_info?: { device_id?: string };
  combine_payer_info?: { openid?: string; sub_openid?: string };
  sub_orders: SubOrderBody[];
}

/**
 * A sub-order as an order of the trade ledger: a sub-merchant's (二级商户) when it names one, with
 * the combined order's appid as the service provider's, else the merchant's own; paid by the
 * combined order's payer, notified where the combined order is (`''`, nowhere, when it has no
 * `notify_url`).
 */
function subOrderDraft(sub: SubOrderBody, body: CombinedBody): SubOrderDraft {
  const merchant: OrderMerchant =
    sub.sub_mchid !== undefined
      ? { sp_mchid: sub.mchid, sp_appid: body.combine_appid, sub_mchid: sub.sub_mchid, ...(sub.sub_appid !== undefined ? { sub_appid: sub.sub_appid } : {}) }
      : { mchid: sub.mchid, appid: body.combine_appid };
  const openid = body.combine_payer_info?.openid;
  const sub_openid = body.combine_payer_info?.sub_openid;
  const payer: OrderPayer | undefined =
    openid === undefined ? undefined : 'mchid' in merchant ? { openid } : { sp_openid: openid, ...(sub_openid !== undefined ? { sub_openid } : {}) };
  const order: SubOrderDraft['order'] = {
    merchant,
    out_trade_no: sub.out_trade_no,
    description: sub.description,
    notify_url: body.notify_url ?? '',
    attach: sub.attach,
    amount: { total: sub.amount.total_amount, currency: sub.amount.currency },
    ...(body.time_expire !== undefined ? { time_expire: body.time_expire } : {}),
    ...(sub.goods_tag !== undefined ? { goods_tag: sub.goods_tag } : {}),
    ...(payer ? { payer } : {}),
  };
  return { order, ...(sub.individual_auth_id !== undefined ? { individual_auth_id: sub.individual_auth_id } : {}), ...(sub.individual_name !== undefined ? { individual_name: sub.individual_name } : {}) };
}

/** The combined order a checked body places. */
function draftOf(body: CombinedBody, product: CombineProduct): CombinedDraft {
  return {
    product,
    combine_appid: body.combine_appid,
    combine_mchid: body.combine_mchid,
    combine_out_trade_no: body.combine_out_trade_no,
    ...(body.notify_url !== undefined ? { notify_url: body.notify_url } : {}),
    ...(body.scene_info !== undefined ? { scene_info: { device_id: body.scene_info.device_id } } : {}),
    ...(body.combine_payer_info !== undefined ? { combine_payer_info: { ...body.combine_payer_info } } : {}),
    sub_orders: body.sub_orders.map((sub) => subOrderDraft(sub, body)),
  };
}

const NOT_FOUND = new GatewayRefusal(404, 'ORDER_NOT_EXIST', '订单不存在');

/**
 * The combined order routes (合单支付) over `combined`: placing JSAPI, APP, H5, Native and mini
 * program combined orders (checked as the gateway checks them), querying one by
 * `combine_out_trade_no` and closing it with all its sub-orders. `mchid` is the merchant that
 * signs requests, the combined orders' and every sub-order's.
 */
export function combineRoutes(combined: CombineLedger, mchid: string): Route[] {
  const placing = PRODUCTS.map(
    (product): Route => ({
      method: 'POST',
      path: `${BASE}/${product}`,
      handle: ({ json }) => {
        const failure = checkCombinedOrder(json, product, mchid);
        if (failure) return failure;
        const placed = combined.place(draftOf(json as CombinedBody, product), json);
        return placed instanceof GatewayRefusal ? placed.reply() : { json: placed.prepay };
      },
    }),
  );
  return [
    ...placing,
    {
      method: 'GET',
      path: `${BASE}/out-trade-no/{combine_out_trade_no}`,
      handle: ({ params }) => {
        const order = combined.find(params.combine_out_trade_no);
        return order ? { json: combinedAnswer(order) } : NOT_FOUND.reply();
      },
    },
    {
      method: 'POST',
      path: `${BASE}/out-trade-no/{combine_out_trade_no}/close`,
      handle: ({ params, json }) => {
        const failure = checkCombinedClose(json);
        if (failure) return failure;
        const order = combined.find(params.combine_out_trade_no);
        if (!order) return NOT_FOUND.reply();
        const { combine_appid, sub_orders } = json as { combine_appid: string; sub_orders: NamedSubOrder[] };
        return combined.close(order, combine_appid, sub_orders)?.reply() ?? { status: 204 };
      },
    },
  ];
}
