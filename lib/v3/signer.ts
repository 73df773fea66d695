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

/** Where a request stands once its bytes and URL are fixed: the message to sign, and how to finish the request with the signature. */
export interface PreparedRequest {
  /** The URL signed, which `config.url` now holds. */
  url: URL;
  /** `METHOD\nTARGET\nTIMESTAMP\nNONCE\nBODY\n`, the bytes the signature covers. */
  message: Buffer;
  /** Sets `Authorization` (and the other headers) from the base64 signature of {@link message}. */
  finish: (signature: string) => void;
}

/**
 * Builds the step that prepares an APIv3 call for signing. It fixes the body bytes and the final
 * URL first (no transform or URL normalization can change them afterwards) and forms the message
 * `METHOD\nTARGET\nTIMESTAMP\nNONCE\nBODY\n`; `finish` then sets `Authorization` and
 * `Wechatpay-Serial`. For a {@link MediaUpload} BODY is its `meta` JSON, and the wire carries the
 * multipart form. Signing itself is the caller's: with the private key at once, or by an
 * external signer.
 */
export function createRequestPreparer(options: SignerOptions) {
  const now = options.now ?? Date.now;
  return function prepareRequest(config: InternalAxiosRequestConfig): PreparedRequest {
    const body = bodyOf(config.data);
    const url = pinRequestUrl(config);
    const target = url.pathname + url.search;
    const method = (config.method ?? 'get').toUpperCase();
    const timestamp = Formatter.timestamp(now());
    const nonce = Formatter.nonce();
    const formed = Formatter.request(method, target, timestamp, nonce, body);
    const message = typeof formed === 'string' ? Buffer.from(formed) : formed;
    const finish = (signature: string) => {
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
    };
    return { url, message, finish };
  };
}

/** Signs `message` with a local private key: RSA-SHA256 (PKCS#1 v1.5), base64. */
export function signWithKey(message: Buffer, privateKey: KeyObject): string {
  return sign('sha256', message, privateKey).toString('base64');
}
