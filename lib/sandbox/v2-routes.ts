import { Transformer } from '../v2/transformer';
import { callable, checkFields, flag, optional, rootPath, type FieldCheck } from './argument-checks';

/** Who an APIv2 request's TLS connection says the client is. */
export interface V2Peer {
  /** Whether the request came over TLS (a sandbox started with `tls: true`). */
  tls: boolean;
  /** Whether the client presented a certificate. */
  presented: boolean;
  /** Whether that certificate chains to the sandbox CA and is fit for client authentication. */
  authorized: boolean;
  /** Whether it is the merchant's API certificate: what `/secapi/…` routes need. */
  merchant: boolean;
  /** The certificate's serial (upper-case hex), when one was presented. */
  serial?: string;
  /** Why the certificate did not verify (OpenSSL's code), when it did not. */
  error?: string;
}

/** An answer sent as is: no `sign`, no `nonce_str`, the body and type given. */
export interface V2RawReply {
  raw: Buffer;
  contentType: string;
  /** 200 by default. */
  status?: number;
}

/**
 * What an APIv2 route answers: either the fields of an XML answer, which the sandbox completes
 * (`return_code` SUCCESS and `return_msg` OK unless given, a fresh `nonce_str`) and signs with the
 * request's `sign_type` when `return_code` is SUCCESS; or a {@link V2RawReply}, sent unsigned.
 */
export type V2Reply = Record<string, string> | V2RawReply;

/** One APIv2 endpoint of the sandbox. Requests reach it only once their `mch_id` and `sign` are checked. */
export interface V2Route {
  /** The exact path, e.g. `/pay/micropay`. APIv2 requests are all POSTs. */
  path: string;
  /**
   * Whether the route needs the merchant's API certificate over mutual TLS. By default the paths
   * under `/secapi/` and `/mmpaymkttransfers/` do, as on the real gateway.
   */
  mutualTls?: boolean;
  /** Answers the request's fields; `peer` says what its TLS connection proved. */
  handle(fields: Record<string, string>, peer: V2Peer): V2Reply | Promise<V2Reply>;
}

/** How each field of a {@link V2Route} is checked. */
const V2_ROUTE_CHECKS: Readonly<Record<keyof V2Route, FieldCheck>> = { path: rootPath('/pay/micropay'), mutualTls: optional(flag), handle: callable };

/** `route` as a {@link V2Route}, or an InvalidArgumentError naming its field at fault, after `where`. */
export function checkV2Route(route: unknown, where: string): V2Route {
  checkFields(route, V2_ROUTE_CHECKS, { name: `${where}: route`, expected: 'an object with path and handle', takes: 'an APIv2 route takes' });
  return route as V2Route;
}

/** Whether `reply` is a raw (unsigned) answer rather than fields: a field value is never a Buffer. */
export function isRawReply(reply: V2Reply): reply is V2RawReply {
  return Buffer.isBuffer(reply.raw);
}

/** The paths the real gateway serves only over mutual TLS with the merchant API certificate. */
export function needsMutualTls(route: V2Route): boolean {
  return route.mutualTls ?? (route.path.startsWith('/secapi/') || route.path.startsWith('/mmpaymkttransfers/'));
}

/**
 * An unsigned XML answer, as the gateway gives for `return_code` FAIL, for bill downloads that
 * find no bill, and for the endpoints that never sign (transfers, red packets).
 */
export function unsignedXml(fields: Record<string, string>, status = 200): V2RawReply {
  return { raw: Buffer.from(Transformer.toXml(fields, { alwaysCdata: true })), contentType: V2_XML_TYPE, status };
}

/**
 * The Content-Type of APIv2 XML answers. The real gateway's exact header is not documented; XML
 * clients must go by the body (a bill download answers CSV on success and XML on failure alike).
 */
export const V2_XML_TYPE = 'text/xml; charset=utf-8';
