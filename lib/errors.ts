import { AxiosError, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';

/**
 * The stable `code` of every failure this SDK raises itself. Match on these, never on messages.
 */
export const ErrorCode = {
  /** A client or request option is missing, of the wrong type, or unusable. */
  INVALID_OPTION: 'ERR_WECHATPAY_INVALID_OPTION',
  /**
   * A URI template variable of the path was not given (or was empty, `.` or `..`), has no text
   * form, or holds a control character or a lone surrogate.
   */
  TEMPLATE_VARIABLE: 'ERR_WECHATPAY_TEMPLATE_VARIABLE',
  /** The response lacks one of the `Wechatpay-*` headers needed to verify it. */
  INCOMPLETE_HEADERS: 'ERR_WECHATPAY_INCOMPLETE_HEADERS',
  /** The response's `Wechatpay-Timestamp` is more than 300 s away from local time. */
  CLOCK_SKEW: 'ERR_WECHATPAY_CLOCK_SKEW',
  /** The response was signed by a key whose id is not in `certs`. */
  UNKNOWN_SERIAL: 'ERR_WECHATPAY_UNKNOWN_SERIAL',
  /** The key that signed is a platform certificate outside its validity period (expired, or not yet valid). */
  CERTIFICATE_EXPIRED: 'ERR_WECHATPAY_CERTIFICATE_EXPIRED',
  /** The response's signature does not match its bytes. */
  BAD_SIGNATURE: 'ERR_WECHATPAY_BAD_SIGNATURE',
  /** The gateway sent a `WECHATPAY/SIGNTEST/` probe to check that the client verifies. */
  SIGNATURE_PROBE: 'ERR_WECHATPAY_SIGNATURE_PROBE',
  /** The gateway answered with a non-2xx status. */
  API_ERROR: 'ERR_WECHATPAY_API_ERROR',
  /** A verified response body, or a notification, could not be parsed as the JSON or XML it claims to be. */
  MALFORMED_BODY: 'ERR_WECHATPAY_MALFORMED_BODY',
  /** A function of the crypto toolkit got an argument of the wrong type, size or encoding. */
  INVALID_ARGUMENT: 'ERR_WECHATPAY_INVALID_ARGUMENT',
  /** `GET /v3/certificates` found none: the merchant verifies with a WeChat Pay public key instead. */
  NO_CERTIFICATES: 'ERR_WECHATPAY_NO_CERTIFICATES',
  /** A ciphertext did not decrypt: wrong key, nonce or associated data, or a truncated or altered ciphertext. */
  DECRYPTION_FAILED: 'ERR_WECHATPAY_DECRYPTION_FAILED',
  /**
   * A downloaded file (a bill, a statement) does not match the digest the gateway gave for it
   * (`hash_value`, `Wechatpay-Statement-Sha1`); nothing of it was kept.
   */
  HASH_MISMATCH: 'ERR_WECHATPAY_HASH_MISMATCH',
  /**
   * A `download_url` points away from the client's `baseURL` (another host, port, scheme or
   * path prefix) or at a path that is not a download; the signed request is not sent there.
   */
  UNTRUSTED_DOWNLOAD_URL: 'ERR_WECHATPAY_UNTRUSTED_DOWNLOAD_URL',
  /**
   * The call did not finish within its deadline (`timeout`, 30 s by default), which covers the
   * whole exchange: waiting for platform certificates, connecting, sending and reading the answer.
   */
  TIMEOUT: 'ERR_WECHATPAY_TIMEOUT',
  /**
   * The answer is larger than allowed: `maxContentLength` (4 MiB by default for signed answers,
   * counted after decompression) or a download's `maxBytes`. Reading stopped at the limit.
   */
  ANSWER_TOO_LARGE: 'ERR_WECHATPAY_ANSWER_TOO_LARGE',
} as const;

/** One of the {@link ErrorCode} values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** What every error of this SDK may carry besides its message and code. */
export interface WechatpayErrorContext {
  config?: InternalAxiosRequestConfig;
  response?: AxiosResponse;
  cause?: unknown;
}

/**
 * The base of every error this SDK raises. It is an `AxiosError`, so `err.config`,
 * `err.response` and `axios.isAxiosError(err)` work as they do for transport errors.
 * It never carries key material: causes are attached non-enumerably and messages name
 * options and headers, not their values.
 */
export class WechatpayError extends AxiosError {
  declare code: ErrorCode;

  constructor(message: string, code: ErrorCode, context: WechatpayErrorContext = {}) {
    super(message, code, context.config, context.response?.request, context.response);
    this.name = new.target.name;
    if (context.cause !== undefined) {
      Object.defineProperty(this, 'cause', { value: context.cause, enumerable: false, writable: true, configurable: true });
    }
  }
}

/** A client option, a request option or a function argument is wrong; raised before anything is sent. */
export class OptionError extends WechatpayError {}

/** Something did not decrypt. The message says what, never with which key material. */
export class DecryptionError extends WechatpayError {}

/** A 2xx response failed verification; its body never reaches the caller as data. */
export class VerificationError extends WechatpayError {}

/** The gateway answered with a non-2xx status and (usually) a JSON error body. */
export class ApiError extends WechatpayError {
  /** The gateway's own error code, such as `PARAM_ERROR` or `SIGN_ERROR`, when it sent one. */
  readonly apiCode?: string;
  /** The gateway's error message, when it sent one. */
  readonly apiMessage?: string;
  /** The gateway's `detail` object, when it sent one. */
  readonly detail?: unknown;
  /** The `Request-ID` header, to quote to WeChat Pay support. */
  readonly requestId?: string;
  /**
   * Whether the fields above come from an answer whose signature was checked and held. Only an
   * APIv2 `result_code` FAIL answer is signed; APIv3 error answers and APIv2 `return_code` FAIL
   * answers are not, so their fields are the gateway's word, unproven.
   */
  readonly verified: boolean;

  constructor(
    message: string,
    fields: { apiCode?: string; apiMessage?: string; detail?: unknown; requestId?: string; verified?: boolean },
    context: WechatpayErrorContext,
  ) {
    super(message, ErrorCode.API_ERROR, context);
    this.apiCode = fields.apiCode;
    this.apiMessage = fields.apiMessage;
    this.detail = fields.detail;
    this.requestId = fields.requestId;
    this.verified = fields.verified ?? false;
  }
}
