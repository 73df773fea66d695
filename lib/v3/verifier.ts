import { verify, type KeyObject } from 'node:crypto';
import { Readable } from 'node:stream';
import { AxiosError, type AxiosResponse, type InternalAxiosRequestConfig, type ResponseType } from 'axios';
import { ApiError, ErrorCode, VerificationError, WechatpayError } from '../errors';
import { Formatter } from '../formatter';
import { isUnsignedDownload } from './download-paths';

/** How far a response's timestamp may be from local time, in seconds. */
export const CLOCK_WINDOW_SECONDS = 300;

/** Prefix of the signature the gateway sends to probe that clients really verify. */
export const SIGNATURE_PROBE_PREFIX = 'WECHATPAY/SIGNTEST/';

const REQUIRED_HEADERS = ['wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature', 'wechatpay-serial'] as const;

/** The caller's requested responseType, kept while the verifier reads raw bytes. */
const WANTED = Symbol('wechatpay.responseType');

interface VerifiedConfig extends InternalAxiosRequestConfig {
  [WANTED]?: ResponseType;
}

/** What the verifier checks responses against. */
export interface VerifierOptions {
  /** Platform key id (certificate serial or `PUB_KEY_ID_…`, upper case) to public key. */
  keys: ReadonlyMap<string, KeyObject>;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

/**
 * Makes axios hand the verifier the raw body bytes (verification comes before parsing), unless
 * `pathname` is an unsigned download, which keeps the caller's own responseType and transforms.
 */
export function expectRawResponse(config: InternalAxiosRequestConfig, pathname: string): void {
  if (isUnsignedDownload(pathname)) return;
  (config as VerifiedConfig)[WANTED] = config.responseType;
  config.responseType = 'arraybuffer';
  config.transformResponse = [];
}

function header(response: AxiosResponse, name: string): string | undefined {
  const value: unknown = response.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function asBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(typeof data === 'string' ? data : '');
}

function fail(message: string, code: ErrorCode, response: AxiosResponse): VerificationError {
  return new VerificationError(message, code, { config: response.config, response });
}

/** Turns verified bytes into what the caller asked for: parsed JSON by default. */
function present(raw: Buffer, wanted: ResponseType | undefined, response: AxiosResponse): unknown {
  switch (wanted) {
    case 'arraybuffer':
      return raw;
    case 'text':
      return raw.toString('utf8');
    case 'stream':
      return Readable.from([raw]);
    default: {
      const text = raw.toString('utf8');
      if (text === '') return text;
      try {
        return JSON.parse(text) as unknown;
      } catch (cause) {
        throw new WechatpayError('the verified response body is not valid JSON', ErrorCode.MALFORMED_BODY, {
          config: response.config,
          response,
          cause,
        });
      }
    }
  }
}

/**
 * Builds the axios response interceptor pair of APIv3. On 2xx it checks the four
 * `Wechatpay-*` headers, the probe marker, the 300 s window, the serial and the RSA-SHA256
 * signature over `TIMESTAMP\nNONCE\nBODY\n` of the raw bytes, and only then parses the body.
 * Non-2xx answers become an {@link ApiError}.
 */
export function createVerifier(options: VerifierOptions) {
  const now = options.now ?? Date.now;

  function verifyResponse(response: AxiosResponse): AxiosResponse {
    const config = response.config as VerifiedConfig;
    if (!(WANTED in config)) return response;
    const raw = asBuffer(response.data);
    const missing = REQUIRED_HEADERS.filter((name) => header(response, name) === undefined);
    if (missing.length > 0) {
      throw fail(`the response lacks the header${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; it cannot be verified`, ErrorCode.INCOMPLETE_HEADERS, response);
    }
    const [timestamp, nonce, signature, serial] = REQUIRED_HEADERS.map((name) => header(response, name) as string);
    if (signature.startsWith(SIGNATURE_PROBE_PREFIX)) {
      throw fail('the gateway sent a signature probe (Wechatpay-Signature starts with WECHATPAY/SIGNTEST/); the response is not genuine', ErrorCode.SIGNATURE_PROBE, response);
    }
    const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
    const skew = Math.abs(Formatter.timestamp(now()) - seconds);
    if (!(skew <= CLOCK_WINDOW_SECONDS)) {
      throw fail(`Wechatpay-Timestamp ${timestamp.slice(0, 20)} is ${Number.isNaN(skew) ? 'not a Unix time' : `${skew} s from local time`} (window ${CLOCK_WINDOW_SECONDS} s)`, ErrorCode.CLOCK_SKEW, response);
    }
    const key = options.keys.get(serial.toUpperCase());
    if (!key) {
      throw fail(`Wechatpay-Serial ${serial.slice(0, 64)} names no key in certs`, ErrorCode.UNKNOWN_SERIAL, response);
    }
    const message = Formatter.response(timestamp, nonce, raw) as Buffer;
    if (!verify('sha256', message, key, Buffer.from(signature, 'base64'))) {
      throw fail('Wechatpay-Signature does not match the response body', ErrorCode.BAD_SIGNATURE, response);
    }
    response.data = present(raw, config[WANTED], response);
    return response;
  }

  function explainFailure(error: unknown): never {
    if (error instanceof WechatpayError || !(error instanceof AxiosError) || !error.response) throw error;
    const response = error.response;
    const raw = asBuffer(response.data);
    let body: { code?: unknown; message?: unknown; detail?: unknown } = {};
    try {
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      if (parsed !== null && typeof parsed === 'object') body = parsed;
    } catch {
      // A non-JSON error body (a proxy's HTML page, say) still yields an ApiError with the status.
    }
    response.data = raw.length === 0 ? '' : (body.code !== undefined ? body : raw.toString('utf8'));
    const apiCode = typeof body.code === 'string' ? body.code : undefined;
    const apiMessage = typeof body.message === 'string' ? body.message : undefined;
    const requestId = header(response, 'request-id');
    throw new ApiError(
      `WeChat Pay answered HTTP ${response.status}${apiCode ? ` ${apiCode}` : ''}${apiMessage ? `: ${apiMessage}` : ''}${requestId ? ` (Request-ID ${requestId})` : ''}`,
      { apiCode, apiMessage, detail: body.detail, requestId },
      { config: error.config, response, cause: error },
    );
  }

  return { verifyResponse, explainFailure };
}
