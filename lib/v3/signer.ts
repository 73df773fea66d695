import { sign, type KeyObject } from 'node:crypto';
import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import { InvalidOptionError } from '../errors';
import { Formatter } from '../formatter';
import { pinRequestUrl } from '../request-url';
import { MediaUpload } from './media';

/** What the signer needs to know about the merchant. */
export interface SignerOptions {
  mchid: string;
  /** The merchant API certificate's serial. */
  serial: string;
  privateKey: KeyObject;
  /** The key id the client asks the gateway to sign answers with (`Wechatpay-Serial`); it changes as certificates rotate. */
  responseKeyId: () => string | undefined;
  /** The `User-Agent` header value. */
  userAgent: string;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

/** Everything after it leaves the body as it is, so the bytes sent are the bytes signed. */
const KEEP_BODY = [(data: unknown) => data];

function bodyOf(data: unknown): string | Buffer {
  if (data === undefined || data === null) return '';
  if (data instanceof MediaUpload) return data.meta;
  if (typeof data === 'string' || Buffer.isBuffer(data)) return data;
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  throw new InvalidOptionError('the request body must be a string or a Buffer once serialized (use json for objects)');
}

/**
 * Builds the axios request interceptor that signs an APIv3 call. It fixes the body bytes and
 * the final URL first (no transform or URL normalization can change them afterwards), then
 * signs `METHOD\nTARGET\nTIMESTAMP\nNONCE\nBODY\n` and sets `Authorization` and `Wechatpay-Serial`.
 * For a {@link MediaUpload} BODY is its `meta` JSON, and the wire carries the multipart form.
 * Returns the URL signed, which `config.url` now holds.
 */
export function createSigner(options: SignerOptions) {
  const now = options.now ?? Date.now;
  return function signRequest(config: InternalAxiosRequestConfig): URL {
    const body = bodyOf(config.data);
    const url = pinRequestUrl(config);
    const target = url.pathname + url.search;
    const method = (config.method ?? 'get').toUpperCase();
    const timestamp = Formatter.timestamp(now());
    const nonce = Formatter.nonce();
    const message = Formatter.request(method, target, timestamp, nonce, body);
    const signature = sign('sha256', typeof message === 'string' ? Buffer.from(message) : message, options.privateKey).toString('base64');

    // An upload signs its meta JSON but sends the multipart form that carries it, as the gateway expects.
    const multipart = config.data instanceof MediaUpload ? config.data.toMultipart() : undefined;
    config.data = multipart ? multipart.body : body === '' ? undefined : body;
    config.transformRequest = KEEP_BODY;
    const headers = AxiosHeaders.from(config.headers);
    headers.set('Authorization', Formatter.authorization(options.mchid, options.serial, timestamp, nonce, signature));
    headers.set('User-Agent', options.userAgent, false);
    const responseKeyId = options.responseKeyId();
    if (responseKeyId) headers.set('Wechatpay-Serial', responseKeyId, false);
    if (multipart) {
      headers.set('Content-Type', multipart.contentType);
      headers.set('Content-Length', String(multipart.body.length));
    } else if (body !== '') headers.set('Content-Type', 'application/json', false);
    config.headers = headers;
    return url;
  };
}
