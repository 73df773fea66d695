// The types of verified notifications: the envelope WeChat Pay sends, and, for each event type
// this SDK lists, the resource it carries once decrypted. Types only; nothing here runs.
import type { Endpoints } from '@wechatpay-ts/openapi-types/endpoints';
import type {
  ComplaintResource,
  CouponSendResource,
  EcommerceEntrustResource,
  EmployeeAuthorizedResource,
  EmployeeRevokedResource,
  FacepayUserStateResource,
  FailedTransactionResource,
  GlobalPapayContractResource,
  MallAuthorizationResource,
  MallRefundResource,
  MallTransactionResource,
  MemberCardEventResource,
  PayscorePermissionResource,
  ProfitSharingResource,
  QuotaCardExpiredResource,
  QuotaCardPaymentResource,
  QuotaCardRefundResource,
  RefundResource,
  ServiceOrderResource,
  SignPlanResource,
  TerminationRetentionResource,
  TransactionResource,
  TransferBillResource,
  WithdrawalResource,
} from './notification-resources';

/** A verified notification: the envelope as sent, with `resource` decrypted and parsed. */
export interface Notification<Type extends string = string, Resource = unknown> {
  /** The notification's id; the gateway repeats a notification until it is acknowledged, so deduplicate by it. */
  id: string;
  create_time: string;
  /** What happened (`TRANSACTION.SUCCESS`, `REFUND.SUCCESS`, …); narrows `resource`. */
  event_type: Type;
  resource_type: string;
  summary?: string;
  /** The decrypted resource: for `TRANSACTION.SUCCESS` the transaction, for `REFUND.*` the refund. */
  resource: Resource;
  /**
   * The merchant whose keys verified and decrypted the notification: the `mchid` of the client
   * it came through. Absent when the verifier was given `certs` rather than clients.
   */
  mchid?: string;
  /** The envelope's own fields besides those above, as sent. */
  [field: string]: unknown;
}

/** What the catalogue's query `GET path` answers (`Endpoints[path]['get']['data']`): the resource of events that carry that object. */
type Answer<Path extends keyof Endpoints> = Endpoints[Path] extends { get: { data: infer Data } } ? Data : never;

/**
 * For each event type, the resource it carries: every event type the catalogue lists
 * (`CatalogueEventType`, openapi-types/events.d.ts), and `MCHTRANSFER.BILL.FINISHED`, which it lacks.
 * Where a catalogue query answers the same object, the entry is that answer (`Answer<path>`);
 * the rest are declared in notification-resources.ts.
 * `event_type` narrows a {@link NotificationEvent} to the matching entry.
 */
export interface NotificationResources {
  'MALL_AUTH.ACTIVATE_CARD': MallAuthorizationResource;
  'MALL_TRANSACTION.SUCCESS': MallTransactionResource;
  'MALL_REFUND.SUCCESS': MallRefundResource;
  'TRANSACTION.SUCCESS': TransactionResource;
  'TRANSACTION.FAIL': FailedTransactionResource;
  'ECOMMERCE_ENTRUST.SIGN': EcommerceEntrustResource;
  'ECOMMERCE_ENTRUST.TERMINATE': EcommerceEntrustResource;
  'ENTRUST.SIGNING': Answer<'v3/edu-papay/contracts/id/{contract_id}'>;
  'ENTRUST.RELEASE': Answer<'v3/edu-papay/contracts/id/{contract_id}'>;
  'ENTRUST.TERMINATE_RETENTION': TerminationRetentionResource;
  PROFITSHARING: ProfitSharingResource;
  PROFITSHARING_RETURN: ProfitSharingResource;
  'COMPLAINT.CREATE': ComplaintResource;
  'COMPLAINT.STATE_CHANGE': ComplaintResource;
  'REFUND.SUCCESS': RefundResource;
  'REFUND.ABNORMAL': RefundResource;
  'REFUND.CLOSED': RefundResource;
  'COUPON.USE': Answer<'v3/marketing/favor/users/{openid}/coupons/{coupon_id}'>;
  'COUPON.SEND': CouponSendResource;
  'TRANSACTION.INDUSTRY_SUCCESS': Answer<'v3/eduschoolpay/transactions/out-trade-no/{out_trade_no}'>;
  'TRANSACTION.INDUSTRY_FAILED': Answer<'v3/eduschoolpay/transactions/out-trade-no/{out_trade_no}'>;
  'EDU_SCHOOL_PAY.USER_DEBT_STATE_UPDATE': Answer<'v3/eduschoolpay/users/{openid}/debt-state'>;
  'PAYSCORE.BIND_SERVICE_ACCOUNT': Answer<'v3/payscore/partner/service-account-applications/{out_apply_no}'>;
  'PAYSCORE.USER_SIGN_PLAN': SignPlanResource;
  'PAYSCORE.USER_CANCEL_SIGN_PLAN': SignPlanResource;
  'PAYSCORE.USER_OPEN_SERVICE': PayscorePermissionResource;
  'PAYSCORE.USER_CLOSE_SERVICE': PayscorePermissionResource;
  'PAYSCORE.USER_CONFIRM': ServiceOrderResource;
  'PAYSCORE.USER_PAID': ServiceOrderResource;
  'DISCOUNT_CARD.GET_CARD': Answer<'v3/discount-card/orders/{out_order_no}'>;
  'DISCOUNT_CARD.SETTLEMENT': Answer<'v3/discount-card/orders/{out_order_no}'>;
  'DISCOUNT_CARD.USER_ACCEPTED': Answer<'v3/discount-card/cards/{out_card_code}'>;
  'DISCOUNT_CARD.AGREEMENT_ENDED': Answer<'v3/discount-card/cards/{out_card_code}'>;
  'DISCOUNT_CARD.USER_PAID': Answer<'v3/discount-card/cards/{out_card_code}'>;
  'MEMBERCARD.ACCEPT_CARD': MemberCardEventResource;
  'MEMBERCARD.ACTIVATE_CARD': MemberCardEventResource;
  'MEMBERCARD.USERCARD_MANAGE': MemberCardEventResource;
  'HIRE_POWER_BANK.RECEIVE_INSURANCE': Answer<'v3/hire-power-bank/insurance-orders/{out_order_no}'>;
  'RECHARGE.SUCCESS': Answer<'v3/platsolution/ecommerce/recharges/out-recharge-no/{out_recharge_no}'>;
  'RECHARGE.CLOSED': Answer<'v3/platsolution/ecommerce/recharges/out-recharge-no/{out_recharge_no}'>;
  'APPLYMENT_STATE.APPROVED': Answer<'v3/global/merchant/h5/permission/applications/{applyment_id}'>;
  'PAPAY.SIGN': GlobalPapayContractResource;
  'PAPAY.TERMINATE': GlobalPapayContractResource;
  'FACEPAY.USER_STATE_CHANGE': FacepayUserStateResource;
  'SETTLEMENT.SUCCESS': Answer<'v3/platsolution/ecommerce/settle/prepay-settle-orders/{settle_batch_no}'>;
  'MCHWITHDRAW.CHANGE': WithdrawalResource;
  'MCHTRANSFER.QQWALLETBILL.FINISHED': Answer<'v3/fund-app/mch-transfer/transfer-to-qq-wallet-bills/{out_bill_no}'>;
  'MCHTRANSFER.AUTHORIZATION.CONFIRMED': Answer<'v3/fund-app/mch-transfer/user-confirm-authorization/out-authorization-no/{out_authorization_no}'>;
  'MEMBERCARDSP.USER_CARD.CREATE': Answer<'v3/brand/partner/card-member/user-cards/{user_card_code}'>;
  'MEMBERCARDSP.USER_CARD.DELETE': Answer<'v3/brand/partner/card-member/user-cards/{user_card_code}'>;
  'BUDGET.LOCKED': Answer<'v3/fund-app/mch-transfer/partner/charity-budget/{out_budget_no}'>;
  'BUDGET.CLOSED': Answer<'v3/fund-app/mch-transfer/partner/charity-budget/{out_budget_no}'>;
  'BUDGET.FINISHED': Answer<'v3/fund-app/mch-transfer/partner/charity-budget/{out_budget_no}'>;
  'WEBIZPAY.QUOTACARDEXPIRED': QuotaCardExpiredResource;
  'WEBIZPAY.PAYMENTSUCCESS': QuotaCardPaymentResource;
  'WEBIZPAY.PAYMENTREFUNDSUCCESS': QuotaCardRefundResource;
  'WEBIZPAY.REVOKED': EmployeeRevokedResource;
  'WEBIZPAY.AUTHORIZED': EmployeeAuthorizedResource;
  'MCHTRANSFER.BILL.FINISHED': TransferBillResource;
}

/**
 * What `NotificationVerifier.verify()` resolves to: one {@link Notification} per listed event
 * type, its `resource` typed, or a notification of an event type the SDK does not list.
 *
 * An unlisted event is accepted like any other; its `resource` is typed `never`, so that
 * `event_type` still narrows the listed ones (an `unknown` there would absorb every other
 * resource type in the union). Assert what it is to use it: `event.resource as MyResource`.
 */
export type NotificationEvent = { [Type in keyof NotificationResources]: Notification<Type, NotificationResources[Type]> }[keyof NotificationResources] | Notification<string, never>;
