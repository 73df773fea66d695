// The public API of wechatpay-ts/sandbox. Its declarations use Node's types (Buffer, KeyObject, node:http), so they say so
// themselves: a consumer whose tsconfig loads no types automatically still compiles.
/// <reference types="node" preserve="true" />
/**
 * A local WeChat Pay gateway for tests and examples ({@link Sandbox}): it signs its answers,
 * verifies every request and runs the payment, refund, profit-sharing and transfer flows,
 * notifications included.
 *
 * @module wechatpay-ts/sandbox
 */
export { Sandbox, type SandboxClientOptions, type SandboxTlsIdentity, type ReceivedRequest } from './sandbox';
export { type SandboxMode, type SandboxOptions } from './start-options';
export { type NotificationEvent, type NotificationAnswer } from './notifications';
export { type Fault } from './faults';
export { type Route, type SandboxRequest, type SandboxReply } from './routes';
export { unsignedXml, type V2Route, type V2Peer, type V2Reply, type V2RawReply } from './v2-routes';
export { AUTH_CODE_OUTCOMES, NO_BILL_DATE } from './v2-payment-routes';
export { type Identity } from './pki';
export { checkAuthorization, parseAuthorization, type AuthorizationParts, type KnownMerchant } from './authorization';
export { BillBook, NO_BILL_DAY, type BillDefinition } from './bill-routes';
export { type PaymentFlowOptions, type PaymentOutcome, type CombinedPaymentOutcome, type RefundOutcome } from './payment-flows';
export { type CombineTransactionAnswer } from './combine-answers';
export { GATEWAY_NOTIFY_SCHEDULE_MS, SANDBOX_NOTIFY_SCHEDULE_MS, type DeliveryOutcome, type DeliveryAttempt } from './notification-courier';
export { type SandboxTransaction, type RefundAnswer } from './order-answers';
export { type SharingAnswer, type SharingReturnAnswer } from './profit-sharing-answers';
export { type PaymentOutcomeState } from './trade-ledger';
export { SandboxFlowError, type SandboxFlowErrorCode } from './flow-error';
export { type TransferFlowOptions, type TransferOutcome } from './transfer-flows';
export { type TransferAnswer, type TransferOutcomeState } from './transfer-book';
export { KEYS_DIR_ENV } from './kept-keys';
