import type { Agent } from 'node:https';
import type { AxiosRequestConfig, Method } from 'axios';
import { Formatter } from '../formatter';
import { toAxiosConfig, type ApiOptionKeys } from '../request-options';
import type { PathTemplate } from '../uri-template';
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


/** APIv2's own call options, and APIv3's, which an APIv2 call refuses. */
const V2_KEYS: ApiOptionKeys = {
  own: ['xml', 'nonceless', 'security'],
  foreign: ['json', 'body', 'media', 'encrypt', 'decrypt'],
  foreignWhy: 'it is an APIv3 option; APIv2 sends its fields as xml',
};

/**
 * Checks the options of an APIv2 call, in one place: the shared ones ({@link toAxiosConfig}) and
 * APIv2's own. `xml` becomes the signed body: `nonce_str` added (unless `nonceless`), `sign`
 * computed per `sign_type` (MD5 unless it says HMAC-SHA256), and a `mch_id`/`mchid` other than
 * the client's refused. `security` sends over the merchant certificate's mutual-TLS agent. The
 * path's `v2/` prefix, which chose this API, is not part of the URL.
 */
export function checkV2Call(method: Method, template: PathTemplate, options: unknown, context: V2RequestContext): AxiosRequestConfig {
  const { config, own, refuse } = toAxiosConfig(method, template, options, V2_KEYS);
  config.url = (config.url ?? '').replace(/^v2\//, '');
  const { xml, nonceless, security } = own as V2CallOptions;
  if (nonceless !== undefined && typeof nonceless !== 'boolean') throw refuse('option "nonceless" must be true or false');
  if (security !== undefined && typeof security !== 'boolean') throw refuse('option "security" must be true or false');
  if (security) {
    if (!context.securityAgent) throw refuse('option "security" needs the merchant API certificate; give the client merchant: { cert, key } or { pfx, passphrase }');
    config.httpsAgent = context.securityAgent;
  }
  if (xml === undefined) return config;
  if (xml === null || typeof xml !== 'object' || Array.isArray(xml)) throw refuse('option "xml" must be an object of the request fields');
  for (const field of ['mch_id', 'mchid'] as const) {
    const value: unknown = xml[field];
    const text = typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
    if (value !== undefined && text !== context.mchid) {
      throw refuse(`xml.${field}: ${text.slice(0, 32)} is not this client's merchant ${context.mchid}; use a client configured for that merchant`);
    }
  }
  const fields: Record<string, unknown> = { ...xml };
  delete fields.sign;
  if (!nonceless && fields.nonce_str === undefined) fields.nonce_str = Formatter.nonce();
  fields.sign = signV2(fields, context.secret, requestSignType(fields));
  config.data = Transformer.toXml(fields);
  return config;
}
