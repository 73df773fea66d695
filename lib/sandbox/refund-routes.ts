import { checkFields, fieldError, type FieldRule } from './field-rules';
import { GatewayRefusal } from './gateway-refusal';
import { refundAnswer } from './order-answers';
import type { Route } from './routes';
import type { RefundDraft, SandboxRefund, TradeLedger } from './trade-ledger';

/** The fields of a refund request, as the gateway checks them. */
const REFUND: readonly FieldRule[] = [
  { path: 'sub_mchid', type: 'string', max: 32 },
  { path: 'transaction_id', type: 'string', max: 32 },
  { path: 'out_trade_no', type: 'string', max: 32 },
  { path: 'out_refund_no', type: 'string', required: true, pattern: /^[0-9A-Za-z_\-|*@]{1,64}$/ },
  { path: 'reason', type: 'string', max: 80 },
  { path: 'notify_url', type: 'string', max: 256, pattern: /^https?:\/\/[^\s/?#]+[^\s]*$/ },
  { path: 'funds_account', type: 'string', max: 32 },
  { path: 'amount', type: 'object', required: true },
  { path: 'amount.refund', type: 'integer', required: true, min: 1 },
  { path: 'amount.total', type: 'integer', required: true, min: 1 },
  { path: 'amount.currency', type: 'string', required: true, pattern: /^CNY$/ },
];

/**
 * The domestic refund routes over `ledger`: `POST /v3/refund/domestic/refunds` (by
 * `transaction_id` or `out_trade_no`) and `GET /v3/refund/domestic/refunds/{out_refund_no}`.
 * A refund is accepted `PROCESSING`; `accepted` hears of each new one, to carry it on from there.
 */
export function refundRoutes(ledger: TradeLedger, accepted: (refund: SandboxRefund) => void): Route[] {
  return [
    {
      method: 'POST',
      path: '/v3/refund/domestic/refunds',
      handle: ({ json }) => {
        const failure = checkFields(json, REFUND);
        if (failure) return failure;
        const draft = json as RefundDraft;
        if (draft.transaction_id === undefined && draft.out_trade_no === undefined) return fieldError('transaction_id', 'or out_trade_no is required');
        const known = ledger.findRefund(draft.out_refund_no, draft.sub_mchid);
        const refund = ledger.refund(draft);
        if (refund instanceof GatewayRefusal) return refund.reply();
        if (refund !== known) accepted(refund);
        return { json: refundAnswer(refund) };
      },
    },
    {
      method: 'GET',
      path: '/v3/refund/domestic/refunds/{out_refund_no}',
      handle: ({ params, query }) => {
        const refund = ledger.findRefund(params.out_refund_no, query.sub_mchid);
        return refund ? { json: refundAnswer(refund) } : new GatewayRefusal(404, 'RESOURCE_NOT_EXISTS', '退款单不存在').reply();
      },
    },
  ];
}
