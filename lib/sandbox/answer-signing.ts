import { randomUUID, sign } from 'node:crypto';
import { Formatter } from '../formatter';
import { SIGNATURE_HEADERS, type Fault } from './faults';
import { serialHex } from './keys';
import type { Identity } from './pki';

/** Signs an answer or a notification with the platform key `key`, spoiling it as `fault` says. */
export function signAnswer(original: Buffer, key: Identity, fault: Fault | undefined, extraHeaders: Record<string, string> = {}): { headers: Record<string, string>; body: Buffer } {
  let body = fault?.type === 'malformed-json' ? Buffer.from('{"contract_info":{"contract_state":') : original;
  let timestamp = Formatter.timestamp();
  if (fault?.type === 'stale-timestamp') timestamp -= fault.seconds ?? 301;
  const nonce = Formatter.nonce();
  let signature = sign('sha256', Formatter.response(timestamp, nonce, body) as Buffer, key.privateKey).toString('base64');
  if (fault?.type === 'signature-probe') signature = `WECHATPAY/SIGNTEST/${signature}`;
  // A trailing space keeps the JSON valid, so only a client that verifies notices.
  if (fault?.type === 'tampered-body') body = Buffer.concat([body, Buffer.from(' ')]);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8',
    'Request-ID': randomUUID(),
    'Wechatpay-Timestamp': String(timestamp),
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': signature,
    'Wechatpay-Serial': fault?.type === 'unknown-serial' ? serialHex() : key.id,
    ...extraHeaders,
  };
  if (fault?.type === 'missing-headers') {
    const drop = new Set((fault.headers ?? SIGNATURE_HEADERS).map((name) => name.toLowerCase()));
    for (const name of Object.keys(headers)) if (drop.has(name.toLowerCase())) delete headers[name];
  }
  return { headers, body };
}
