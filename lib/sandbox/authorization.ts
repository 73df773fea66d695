import { verify, type KeyObject } from 'node:crypto';
import { Formatter } from '../formatter';

const SCHEME = 'WECHATPAY2-SHA256-RSA2048 ';
const PARAM = /^([a-z_]+)="([^"]*)"$/;

/** The parts of a merchant's Authorization header. */
export interface AuthorizationParts {
  mchid: string;
  serial_no: string;
  timestamp: string;
  nonce_str: string;
  signature: string;
}

/** Parses `WECHATPAY2-SHA256-RSA2048 k="v",…`; undefined when the header is not of that form. */
export function parseAuthorization(header: string | undefined): AuthorizationParts | undefined {
  if (!header?.startsWith(SCHEME)) return undefined;
  const parts: Record<string, string> = {};
  for (const pair of header.slice(SCHEME.length).split(',')) {
    const match = PARAM.exec(pair.trim());
    if (!match || match[1] in parts) return undefined;
    parts[match[1]] = match[2];
  }
  const names: Array<keyof AuthorizationParts> = ['mchid', 'serial_no', 'timestamp', 'nonce_str', 'signature'];
  return names.every((name) => typeof parts[name] === 'string' && parts[name] !== '') ? (parts as unknown as AuthorizationParts) : undefined;
}

/** The merchant a gateway knows: its id, the serial of its API certificate and that certificate's key. */
export interface KnownMerchant {
  mchid: string;
  serial: string;
  publicKey: KeyObject;
}

/**
 * Checks a request's Authorization the way the gateway does: the scheme, the merchant and
 * serial, a timestamp within 300 s, and the RSA-SHA256 signature over the method, the request
 * target as received, the timestamp, the nonce and the body bytes. Returns why it fails, or undefined.
 */
export function checkAuthorization(
  merchant: KnownMerchant,
  request: { method: string; target: string; authorization: string | undefined; body: Buffer },
  nowSeconds: number,
): string | undefined {
  const parts = parseAuthorization(request.authorization);
  if (!parts) return 'Authorization is missing or not of the WECHATPAY2-SHA256-RSA2048 form';
  if (parts.mchid !== merchant.mchid) return `mchid ${parts.mchid} is not known`;
  if (parts.serial_no.toUpperCase() !== merchant.serial) return `serial_no ${parts.serial_no} is not the merchant's certificate`;
  if (!/^\d+$/.test(parts.timestamp) || Math.abs(nowSeconds - Number(parts.timestamp)) > 300) return 'timestamp is expired or invalid';
  const message = Formatter.request(request.method, request.target, parts.timestamp, parts.nonce_str, request.body) as Buffer;
  if (!verify('sha256', message, merchant.publicKey, Buffer.from(parts.signature, 'base64'))) {
    return 'signature does not match the request';
  }
  return undefined;
}
