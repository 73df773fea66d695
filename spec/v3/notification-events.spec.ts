// Compile-time proof that a notification's `event_type` narrows its `resource`, that the listed
// event types are exactly the catalogue's and `MCHTRANSFER.BILL.FINISHED`, and that the
// catalogue's webhooks path is no typed endpoint: `tsc` in `npm test` fails if a positive case
// stops compiling or a `@ts-expect-error` case starts to. The functions are never run; the one
// runtime test only keeps the file a spec.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ChainNode, NotificationEvent, NotificationResources, PathNode, TransactionResource, Wechatpay } from '../../lib';
import type { Notification } from '../../lib/v3/notification-events';
import type { CatalogueEventType } from '@wechatpay-ts/openapi-types/events';

/** `true` when `A` and `B` are the same type, `false` otherwise (either way a type, so it can be asserted). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

// The listed event types are the catalogue's, and the one it lacks: no more, no fewer.
const listsTheCatalogue: Equal<keyof NotificationResources, CatalogueEventType | 'MCHTRANSFER.BILL.FINISHED'> = true;
// The webhooks path is not in the typed tree: the chain reaches it as any unknown path.
const webhooksUntyped: Equal<PathNode<'v3/webhooks'>, ChainNode> = true;

export function narrows(event: NotificationEvent): string[] {
  switch (event.event_type) {
    case 'TRANSACTION.SUCCESS': {
      const resource: TransactionResource = event.resource;
      if ('combine_out_trade_no' in resource) {
        // @ts-expect-error the combined payment's notification carries no combine_transaction_id (its query answers one)
        void resource.combine_transaction_id;
        return [resource.combine_mchid, ...(resource.sub_orders ?? []).map((order) => order.out_trade_no)];
      }
      // A field only a service provider's payment has tells it from a direct merchant's.
      if ('sp_mchid' in resource) return [resource.sp_appid, resource.sub_mchid, resource.payer.sp_openid, resource.out_trade_no];
      // @ts-expect-error a direct merchant's payment has no sub-merchant
      void resource.sub_mchid;
      return [resource.mchid, resource.appid, resource.payer.openid, resource.trade_state, String(resource.amount.payer_total)];
    }
    case 'REFUND.SUCCESS': {
      const { resource } = event;
      const status: 'SUCCESS' | 'CLOSED' | 'ABNORMAL' = resource.refund_status;
      const owner = 'mchid' in resource ? resource.mchid : `${resource.sp_mchid}/${resource.sub_mchid}`;
      return [owner, status, resource.out_refund_no, String(resource.amount.payer_refund), resource.success_time ?? ''];
    }
    case 'MCHTRANSFER.BILL.FINISHED': {
      const { resource } = event;
      const state: 'SUCCESS' | 'FAIL' | 'CANCELLED' = resource.state;
      return [resource.mch_id, resource.out_bill_no, resource.transfer_bill_no, state, String(resource.transfer_amount), resource.fail_reason ?? ''];
    }
    // A service provider's event: the resource names the platform and its sub-merchant.
    case 'RECHARGE.SUCCESS':
      return [event.resource.sp_mchid, event.resource.sub_mchid, event.resource.recharge_state];
    case 'PAYSCORE.USER_OPEN_SERVICE':
      return 'sub_mch_id' in event.resource ? [event.resource.mch_id, event.resource.sub_mch_id] : [event.resource.mchid, event.resource.openid];
    default:
      return [event.event_type];
  }
}

export function unlisted(): NotificationEvent {
  // An event type the SDK does not list is a NotificationEvent all the same; its resource is asserted to use it.
  const event: Notification<string, never> = { id: 'EV-1', create_time: '2026-01-01T00:00:00+08:00', event_type: 'SOMETHING.NEW', resource_type: 'encrypt-resource', resource: undefined as never };
  return event;
}

export function noFieldOfAnotherEvent(event: NotificationEvent): void {
  if (event.event_type === 'REFUND.SUCCESS') {
    // @ts-expect-error a refund has no trade_state
    void event.resource.trade_state;
  }
  if (event.event_type === 'MCHTRANSFER.BILL.FINISHED') {
    // @ts-expect-error a transfer bill that finished is in a final state
    const pending: typeof event.resource.state = 'PROCESSING';
    void pending;
  }
}

export async function webhooksCalledUntyped(wxpay: Wechatpay): Promise<unknown> {
  // Any options go, as on any path the catalogue lacks: a typed verb would refuse this field.
  const { data } = await wxpay.v3.webhooks.post({ json: { anything: true }, whatever: 1 });
  return data;
}

it('type-checks event_type narrowing and the list of event types (the checks run in tsc)', () => {
  assert.equal(listsTheCatalogue && webhooksUntyped, true);
  assert.equal(typeof narrows, 'function');
});
