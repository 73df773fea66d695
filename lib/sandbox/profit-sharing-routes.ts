import { checkFields, fieldError, type FieldRule } from './field-rules';
import { GatewayRefusal } from './gateway-refusal';
import { deletedReceiverAnswer, receiverAnswer, sharingAnswer, sharingReturnAnswer, type UnsplitAnswer } from './profit-sharing-answers';
import type { ProfitSharingLedger, ReceiverDraft, ReturnDraft, SandboxSharingOrder, SandboxSharingReturn, SharingDraft, UnfreezeDraft } from './profit-sharing-ledger';
import type { Route } from './routes';

const RECEIVER_TYPE = /^(?:MERCHANT_ID|PERSONAL_OPENID|PERSONAL_SUB_OPENID)$/;
const RELATION_TYPE = /^(?:SERVICE_PROVIDER|STORE|STAFF|STORE_OWNER|PARTNER|HEADQUARTER|BRAND|DISTRIBUTOR|USER|SUPPLIER|CUSTOM)$/;
/** A merchant's own number (分账单号, 回退单号): letters, digits and `_-|*@`, up to 64. */
const OWN_NUMBER = /^[0-9A-Za-z_\-|*@]{1,64}$/;

/** The fields that name the sub-merchant and its apps, where a service provider calls. */
const MERCHANT: readonly FieldRule[] = [
  { path: 'sub_mchid', type: 'string', max: 32 },
  { path: 'appid', type: 'string', max: 32 },
  { path: 'sub_appid', type: 'string', max: 32 },
];

/** The fields of a profit-sharing request (`name`, encrypted with the platform key, is only checked to be text). */
const SHARING: readonly FieldRule[] = [
  ...MERCHANT,
  { path: 'transaction_id', type: 'string', required: true, max: 32 },
  { path: 'out_order_no', type: 'string', required: true, pattern: OWN_NUMBER },
  {
    path: 'receivers',
    type: 'array',
    max: 50,
    items: [
      { path: 'type', type: 'string', required: true, pattern: RECEIVER_TYPE },
      { path: 'account', type: 'string', required: true, max: 64 },
      { path: 'name', type: 'string', max: 1024 },
      { path: 'amount', type: 'integer', required: true, min: 1 },
      { path: 'description', type: 'string', required: true, max: 80 },
    ],
  },
  { path: 'unfreeze_unsplit', type: 'boolean', required: true },
];

/** The fields of an unfreeze request. */
const UNFREEZE: readonly FieldRule[] = [
  { path: 'sub_mchid', type: 'string', max: 32 },
  { path: 'transaction_id', type: 'string', required: true, max: 32 },
  { path: 'out_order_no', type: 'string', required: true, pattern: OWN_NUMBER },
  { path: 'description', type: 'string', required: true, max: 80 },
];

/** The fields of a return request (`order_id` or `out_order_no` names the profit-sharing order). */
const RETURN: readonly FieldRule[] = [
  { path: 'sub_mchid', type: 'string', max: 32 },
  { path: 'order_id', type: 'string', max: 64 },
  { path: 'out_order_no', type: 'string', max: 64 },
  { path: 'out_return_no', type: 'string', required: true, pattern: OWN_NUMBER },
  { path: 'return_mchid', type: 'string', required: true, max: 32 },
  { path: 'amount', type: 'integer', required: true, min: 1 },
  { path: 'description', type: 'string', required: true, max: 80 },
];

/** The fields that name a receiver, to add or delete it. */
const RECEIVER: readonly FieldRule[] = [
  { path: 'sub_mchid', type: 'string', max: 32 },
  { path: 'appid', type: 'string', required: true, max: 32 },
  { path: 'sub_appid', type: 'string', max: 32 },
  { path: 'type', type: 'string', required: true, pattern: RECEIVER_TYPE },
  { path: 'account', type: 'string', required: true, max: 64 },
];

/** The fields of adding a receiver. */
const RECEIVER_ADD: readonly FieldRule[] = [...RECEIVER, { path: 'name', type: 'string', max: 1024 }, { path: 'relation_type', type: 'string', required: true, pattern: RELATION_TYPE }, { path: 'custom_relation', type: 'string', max: 10 }];

/** What the routes tell of each new profit-sharing order and return they accepted, to carry it on from there. */
export interface SharingListener {
  shared(order: SandboxSharingOrder): void;
  returned(sharingReturn: SandboxSharingReturn): void;
}

/**
 * The profit-sharing (分账) routes over `ledger`, for a direct merchant and (naming `sub_mchid`) a
 * service provider alike: adding and deleting receivers, requesting a share of a paid order and
 * querying it, returning a share and querying the return, unfreezing what is left and asking how
 * much is. Orders and returns are accepted `PROCESSING`; `listener` hears of each new one.
 */
export function profitSharingRoutes(ledger: ProfitSharingLedger, listener: SharingListener): Route[] {
  /** A route that asks for a profit-sharing order (a share, or an unfreeze) once the body passed `rules`; a new one is told to `listener`. */
  const sharingRoute = (path: string, rules: readonly FieldRule[], ask: (json: unknown) => SandboxSharingOrder | GatewayRefusal): Route => ({
    method: 'POST',
    path,
    handle: ({ json }) => {
      const failure = checkFields(json, rules);
      if (failure) return failure;
      const { out_order_no, sub_mchid } = json as { out_order_no: string; sub_mchid?: string };
      const known = ledger.findOrder(out_order_no, sub_mchid);
      const order = ask(json);
      if (order instanceof GatewayRefusal) return order.reply();
      if (order !== known) listener.shared(order);
      return { json: sharingAnswer(order) };
    },
  });
  return [
    {
      method: 'POST',
      path: '/v3/profitsharing/receivers/add',
      handle: ({ json }) => {
        const failure = checkFields(json, RECEIVER_ADD);
        if (failure) return failure;
        const { sub_mchid, type, account, relation_type, custom_relation } = json as ReceiverDraft;
        if (relation_type === 'CUSTOM' && custom_relation === undefined) return fieldError('custom_relation', 'is required when relation_type is CUSTOM');
        return { json: receiverAnswer(ledger.addReceiver({ sub_mchid, type, account, relation_type, custom_relation })) };
      },
    },
    {
      method: 'POST',
      path: '/v3/profitsharing/receivers/delete',
      handle: ({ json }) => {
        const failure = checkFields(json, RECEIVER);
        if (failure) return failure;
        const { sub_mchid, type, account } = json as ReceiverDraft;
        ledger.deleteReceiver({ sub_mchid, type, account });
        return { json: deletedReceiverAnswer({ sub_mchid, type, account }) };
      },
    },
    sharingRoute('/v3/profitsharing/orders', SHARING, (json) => ledger.share(json as SharingDraft, json)),
    sharingRoute('/v3/profitsharing/orders/unfreeze', UNFREEZE, (json) => ledger.unfreeze(json as UnfreezeDraft, json)),
    {
      method: 'GET',
      path: '/v3/profitsharing/orders/{out_order_no}',
      handle: ({ params, query }) => {
        if (query.transaction_id === undefined || query.transaction_id === '') return fieldError('transaction_id', 'is required', 'query');
        const order = ledger.findOrder(params.out_order_no, query.sub_mchid);
        return order && order.trade.transaction_id === query.transaction_id ? { json: sharingAnswer(order) } : new GatewayRefusal(404, 'RESOURCE_NOT_EXISTS', '分账单不存在').reply();
      },
    },
    {
      method: 'POST',
      path: '/v3/profitsharing/return-orders',
      handle: ({ json }) => {
        const failure = checkFields(json, RETURN);
        if (failure) return failure;
        const draft = json as ReturnDraft;
        if (draft.order_id === undefined && draft.out_order_no === undefined) return fieldError('order_id', 'or out_order_no is required');
        const known = ledger.findReturn(draft.out_return_no, draft.sub_mchid);
        const sharingReturn = ledger.returnShare(draft, json);
        if (sharingReturn instanceof GatewayRefusal) return sharingReturn.reply();
        if (sharingReturn !== known) listener.returned(sharingReturn);
        return { json: sharingReturnAnswer(sharingReturn) };
      },
    },
    {
      method: 'GET',
      path: '/v3/profitsharing/return-orders/{out_return_no}',
      handle: ({ params, query }) => {
        if (query.out_order_no === undefined || query.out_order_no === '') return fieldError('out_order_no', 'is required', 'query');
        const sharingReturn = ledger.findReturn(params.out_return_no, query.sub_mchid);
        return sharingReturn && sharingReturn.sharing.out_order_no === query.out_order_no ? { json: sharingReturnAnswer(sharingReturn) } : new GatewayRefusal(404, 'RESOURCE_NOT_EXISTS', '回退单不存在').reply();
      },
    },
    {
      method: 'GET',
      path: '/v3/profitsharing/transactions/{transaction_id}/amounts',
      handle: ({ params }) => {
        const unsplit_amount = ledger.unsplitAmount(params.transaction_id);
        if (unsplit_amount === undefined) return new GatewayRefusal(404, 'RESOURCE_NOT_EXISTS', '订单不存在或未支付').reply();
        const answer: UnsplitAnswer = { transaction_id: params.transaction_id, unsplit_amount };
        return { json: answer };
      },
    },
  ];
}
