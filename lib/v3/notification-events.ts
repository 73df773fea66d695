// The types of verified notifications: the envelope WeChat Pay sends, and, for each event type
// this SDK lists, the resource it carries once decrypted. Types only; nothing here runs.
import type { Endpoints } from '../../openapi/endpoints';

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

/** A transaction as a payment notification carries it: a direct merchant's, a service provider's, or a combined one. */
export type TransactionResource =
  | Endpoints['v3/pay/transactions/id/{transaction_id}']['get']['data']
  | Endpoints['v3/pay/partner/transactions/id/{transaction_id}']['get']['data'];

/**
 * For each event type this SDK lists, the resource it carries. `event_type` narrows a
 * {@link NotificationEvent} to the matching entry.
 */
export interface NotificationResources {
  'TRANSACTION.SUCCESS': TransactionResource;
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
