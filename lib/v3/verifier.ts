import type { KeyObject } from 'node:crypto';
import { Readable } from 'node:stream';
import { AxiosError, type AxiosResponse, type InternalAxiosRequestConfig, type ResponseType } from 'axios';
import { ApiError, ErrorCode, VerificationError, WechatpayError } from '../errors';
import type { Validity } from '../platform-keys';
import { Formatter } from '../formatter';
import { rawBody, responseHeader } from '../response-body';
import { isUnsignedDownload } from './download-paths';
import { checkPlatformSignature } from './platform-signature';

/** The caller's requested responseType, kept while the verifier reads raw bytes. */
const WANTED = Symbol('wechatpay.responseType');

interface VerifiedConfig extends InternalAxiosRequestConfig {
  [WANTED]?: ResponseType;
}

/** What the verifier checks responses against. */
export interface VerifierOptions {
  /** Platform key id (certificate serial or `PUB_KEY_ID_…`, upper case) to public key. */
  keys: ReadonlyMap<string, KeyObject>;
  /** The validity period of a key id, when the key is a certificate: one outside it verifies nothing. */
  validity?: (id: string) => Validity | undefined;
  /**
   * Called when an answer names an unknown key: resolves once the keys may have grown (a
   * certificate download), after which the same bytes are checked again. Never trusts the answer itself.
   */
  refresh?: () => Promise<void>;
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
 * Builds the axios response interceptor pair of APIv3. On 2xx it checks the platform's signature
 * over the raw bytes ({@link checkPlatformSignature}), and only then parses the body.
 * Non-2xx answers become an {@link ApiError}.
 */
export function createVerifier(options: VerifierOptions) {
  const now = options.now ?? Date.now;

  function check(response: AxiosResponse): AxiosResponse {
    const config = response.config as VerifiedConfig;
    const raw = rawBody(response.data);
    checkPlatformSignature((name) => responseHeader(response, name), raw, {
      keys: options.keys,
      validity: options.validity,
      nowSeconds: Formatter.timestamp(now()),
      fail: (message, code) => new VerificationError(`response: ${message}`, code, { config: response.config, response }),
    });
    response.data = present(raw, config[WANTED], response);
    return response;
  }

  function verifyResponse(response: AxiosResponse): AxiosResponse | Promise<AxiosResponse> {
    if (!(WANTED in response.config)) return response;
    try {
      return check(response);
    } catch (error) {
      if (!options.refresh || !(error instanceof VerificationError) || error.code !== ErrorCode.UNKNOWN_SERIAL) throw error;
      return options.refresh().then(() => check(response));
    }
  }

  function explainFailure(error: unknown): never {
    if (error instanceof WechatpayError || !(error instanceof AxiosError) || !error.response) throw error;
    const response = error.response;
    const raw = rawBody(response.data);
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
    const requestId = responseHeader(response, 'request-id');
    throw new ApiError(
      `WeChat Pay answered HTTP ${response.status}${apiCode ? ` ${apiCode}` : ''}${apiMessage ? `: ${apiMessage}` : ''}${requestId ? ` (Request-ID ${requestId})` : ''}`,
      { apiCode, apiMessage, detail: body.detail, requestId },
      { config: error.config, response, cause: error },
    );
  }

  return { verifyResponse, explainFailure };
}
