import { randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AesGcm } from '../crypto/aes-gcm';
import { InvalidArgumentError } from '../errors';
import { Formatter } from '../formatter';
import { signAnswer } from './answer-signing';
import type { Fault } from './faults';
import { checkFields, optional, text, type FieldCheck } from './argument-checks';
import type { Identity } from './pki';
import { readBody } from './read-body';

/** A notification to send: the event and its resource (encrypted on the way). */
export interface NotificationEvent {
  /** The resource the merchant should see once decrypted, e.g. a transaction. */
  resource: unknown;
  event_type?: string;
  /** The resource's `original_type`, also the default associated data. */
  resource_type?: string;
  summary?: string;
  id?: string;
  create_time?: string;
  associated_data?: string;
}

const EVENT_CHECKS: Readonly<Record<keyof NotificationEvent, FieldCheck>> = {
  resource: (value) => (value === undefined ? 'expected the resource to encrypt' : undefined),
  event_type: optional(text),
  resource_type: optional(text),
  summary: optional(text),
  id: optional(text),
  create_time: optional(text),
  associated_data: optional(text),
};

/** Refuses, with an InvalidArgumentError after `where`, a notification that cannot be sent: `url` no http(s) URL, `event` no {@link NotificationEvent}. */
export function checkNotification(url: unknown, event: unknown, where: string): void {
  const protocol = typeof url === 'string' && URL.canParse(url) ? new URL(url).protocol : undefined;
  if (protocol !== 'http:' && protocol !== 'https:') throw new InvalidArgumentError(`${where}: url: expected an http or https URL`);
  checkFields(event, EVENT_CHECKS, { name: `${where}: event`, expected: 'an object with resource (and event_type, summary, …)', takes: 'a notification event takes' });
}

/** What the merchant's server answered a notification with. */
export interface NotificationAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * POSTs a signed notification to `url` (http or https), as WeChat Pay does: `resource` encrypted
 * with the APIv3 key (AEAD_AES_256_GCM), the body signed by the platform key `key`, spoiled as
 * `fault` says (`wrong-apiv3-key` encrypts under another key). Resolves with the merchant
 * server's answer; `signal` abandons the request.
 */
export async function postNotification(url: string, event: NotificationEvent, sender: { apiv3Key: string; key: Identity; fault?: Fault | { type: 'wrong-apiv3-key' }; signal?: AbortSignal }): Promise<NotificationAnswer> {
  const { fault } = sender;
  const nonce = Formatter.nonce(12);
  const associatedData = event.associated_data ?? event.resource_type ?? 'transaction';
  const key = fault?.type === 'wrong-apiv3-key' ? Formatter.nonce(32) : sender.apiv3Key;
  const envelope = {
    id: event.id ?? randomUUID(),
    create_time: event.create_time ?? new Date().toISOString().replace(/\.\d+Z$/, '+00:00'),
    resource_type: 'encrypt-resource',
    event_type: event.event_type ?? 'TRANSACTION.SUCCESS',
    summary: event.summary ?? '支付成功',
    resource: {
      original_type: event.resource_type ?? 'transaction',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: AesGcm.encrypt(JSON.stringify(event.resource), key, nonce, associatedData),
      associated_data: associatedData,
      nonce,
    },
  };
  const signed = signAnswer(Buffer.from(JSON.stringify(envelope)), sender.key, fault?.type === 'wrong-apiv3-key' ? undefined : fault);
  return new Promise((resolve, reject) => {
    const request = new URL(url).protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = request(url, { method: 'POST', headers: { ...signed.headers, 'Content-Length': String(signed.body.length) }, signal: sender.signal }, (incoming) => {
      readBody(incoming).then((body) => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: body.toString('utf8') }), reject);
    });
    outgoing.on('error', reject);
    outgoing.end(signed.body);
  });
}
