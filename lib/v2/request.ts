import type { Agent } from 'node:https';
import { InvalidOptionError } from '../errors';
import { Formatter } from '../formatter';
import { requestSignType, signV2 } from './signature';
import { Transformer } from './transformer';

/** The APIv2 call options, taken out of a call's options before the rest goes to axios. */
export interface V2CallOptions {
  /** The request fields; `nonce_str` and `sign` are added. */
  xml?: Record<string, unknown>;
  /** Leave `nonce_str` out (the few endpoints that refuse it). */
  nonceless?: boolean;
  /** Send the merchant API certificate over mutual TLS (`/secapi/…`, transfers, red packets). */
  security?: boolean;
}

/** What building the body needs to know. */
export interface V2RequestContext {
  mchid: string;
  secret: string;
  /** The https.Agent carrying the merchant certificate, when the client has one. */
  securityAgent?: Agent;
}


/**
 * Splits a call's options into the APIv2 ones and the rest, and turns `xml` into the signed body:
 * `nonce_str` added (unless `nonceless`), `sign` computed per `sign_type` (MD5 unless it says
 * HMAC-SHA256), and a `mch_id`/`mchid` other than the client's refused before anything is sent.
 */
export function prepareV2Call(options: unknown, context: V2RequestContext): { rest: Record<string, unknown>; body?: string; httpsAgent?: Agent } {
  if (options === undefined || options === null) return { rest: {} };
  if (typeof options !== 'object' || Array.isArray(options)) return { rest: options as Record<string, unknown> };
  const { xml, nonceless, security, ...rest } = options as Record<string, unknown> & V2CallOptions;
  if (nonceless !== undefined && typeof nonceless !== 'boolean') throw new InvalidOptionError('nonceless: expected true or false');
  if (security !== undefined && typeof security !== 'boolean') throw new InvalidOptionError('security: expected true or false');
  let httpsAgent: Agent | undefined;
  if (security) {
    if (!context.securityAgent) throw new InvalidOptionError('security: this call needs the merchant API certificate; give the client merchant: { cert, key } or { pfx, passphrase }');
    httpsAgent = context.securityAgent;
  }
  if (xml === undefined) return { rest, httpsAgent };
  if (xml === null || typeof xml !== 'object' || Array.isArray(xml)) throw new InvalidOptionError('xml: expected an object of the request fields');
  for (const field of ['mch_id', 'mchid'] as const) {
    const value: unknown = xml[field];
    const text = typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
    if (value !== undefined && text !== context.mchid) {
      throw new InvalidOptionError(`xml.${field}: ${text.slice(0, 32)} is not this client's merchant ${context.mchid}; use a client configured for that merchant`);
    }
  }
  const fields: Record<string, unknown> = { ...xml };
  delete fields.sign;
  if (!nonceless && fields.nonce_str === undefined) fields.nonce_str = Formatter.nonce();
  fields.sign = signV2(fields, context.secret, requestSignType(fields));
  return { rest, body: Transformer.toXml(fields), httpsAgent };
}
