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
  /**
   * A notification verifier serving several merchants (`clients`) found none whose platform keys
   * verify the notification and whose APIv3 key decrypts it; the message gives each merchant's reason.
   */
  UNKNOWN_MERCHANT: 'ERR_WECHATPAY_UNKNOWN_MERCHANT',
  /**
   * The exchange failed below HTTP (DNS, connection, TLS, a connection cut before the answer).
   * `mayHaveBeenProcessed` says whether the request can have reached the gateway: when it can,
   * query the order (or refund) before sending it again.
   */
  NETWORK: 'ERR_WECHATPAY_NETWORK',
  /**
   * The external `signer` threw, rejected, or answered something that is not a base64 RSA
   * signature; the request was not sent. Its own error is the `cause`.
   */
  SIGNER_FAILED: 'ERR_WECHATPAY_SIGNER_FAILED',
  /**
   * A notification's body was already read, by a body parser in front of the notification
   * handler that kept no raw copy of it: the bytes the signature covers are gone. The message
   * says what to change; the notification is answered 500, so the gateway sends it again.
   */
  BODY_CONSUMED: 'ERR_WECHATPAY_BODY_CONSUMED',
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

  /** Subclasses fill `code` in: each code belongs to one class ({@link ERROR_CLASSES}). */
  protected constructor(message: string, code: ErrorCode, context: WechatpayErrorContext = {}) {
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

// One class per code below (as jose does): `static code` to match on the class, instance `code`
// to match on an error, and the constructor fills the code in, so a code cannot be paired with
// the wrong class.

/** {@link ErrorCode.INVALID_OPTION}: a client or call option is missing, mistyped or unusable. */
export class InvalidOptionError extends OptionError {
  static readonly code = ErrorCode.INVALID_OPTION;
  declare code: typeof ErrorCode.INVALID_OPTION;
  constructor(message: string, context?: WechatpayErrorContext) {
    super(message, ErrorCode.INVALID_OPTION, context);
  }
}

/** {@link ErrorCode.TEMPLATE_VARIABLE}: a path variable is missing, unusable, or would leave its segment. */
export class TemplateVariableError extends OptionError {
  static readonly code = ErrorCode.TEMPLATE_VARIABLE;
  declare code: typeof ErrorCode.TEMPLATE_VARIABLE;
  constructor(message: string, context?: WechatpayErrorContext) {
    super(message, ErrorCode.TEMPLATE_VARIABLE, context);
  }
}

/** {@link ErrorCode.INVALID_ARGUMENT}: a crypto helper, `Formatter` or builder got a bad argument. */
export class InvalidArgumentError extends OptionError {
  static readonly code = ErrorCode.INVALID_ARGUMENT;
  declare code: typeof ErrorCode.INVALID_ARGUMENT;
  constructor(message: string, context?: WechatpayErrorContext) {
    super(message, ErrorCode.INVALID_ARGUMENT, context);
  }
}

/** {@link ErrorCode.INCOMPLETE_HEADERS}: a `Wechatpay-*` header needed to verify is missing. */
export class IncompleteHeadersError extends VerificationError {
  static readonly code = ErrorCode.INCOMPLETE_HEADERS;
  declare code: typeof ErrorCode.INCOMPLETE_HEADERS;
  constructor(message: string, context?: WechatpayErrorContext) {
    super(message, ErrorCode.INCOMPLETE_HEADERS, context);
  }
}

/** {@link ErrorCode.CLOCK_SKEW}: `Wechatpay-Timestamp` is outside the 300 s window, or not a time. */
export class ClockSkewError extends VerificationError {
  static readonly code = ErrorCode.CLOCK_SKEW;
  declare code: typeof ErrorCode.CLOCK_SKEW;
  constructor(message: string, context?: WechatpayErrorContext) {
    super(message, ErrorCode.CLOCK_SKEW, context);
  }
}

/** {@link ErrorCode.UNKNOWN_SERIAL}: the message names a key the verifier does not hold. */
export class UnknownSerialError extends VerificationError {
  static readonly code = ErrorCode.UNKNOWN_SERIAL;
  declare code: typeof ErrorCode.UNKNOWN_SERIAL;
  constructor(message: string, context?: WechatpayErrorContext) {
    super(message, ErrorCode.UNKNOWN_SERIAL, context);
  }
}

/** {@link ErrorCode.CERTIFICATE_EXPIRED}: the signing certificate is outside its validity period. */
export class CertificateExpiredError extends VerificationError {
  static readonly code = ErrorCode.CERTIFICATE_EXPIRED;
  declare code: typeof ErrorCode.CERTIFICATE_EXPIRED;
  constructor(message: string, context?: WechatpayErrorContext) {
    super(message, ErrorCode.CERTIFICATE_EXPIRED, context);
  }
}

/** {@link ErrorCode.BAD_SIGNATURE}: the signature does not match the bytes. */
export class BadSignatureError extends VerificationError {
  static readonly code = ErrorCode.BAD_SIGNATURE;
  declare code: typeof ErrorCode.BAD_SIGNATURE;
  constructor(message: string, context?: WechatpayErrorContext) {
    super(message, ErrorCode.BAD_SIGNATURE, context);
  }
}

/** {@link ErrorCode.SIGNATURE_PROBE}: the gateway's `WECHATPAY/SIGNTEST/` probe. */
export class SignatureProbeError extends VerificationError {
  static readonly code = ErrorCode.SIGNATURE_PROBE;
  declare code: typeof ErrorCode.SIGNATURE_PROBE;
  constructor(message: string, context?: WechatpayErrorContext) {
    super(message, ErrorCode.SIGNATURE_PROBE, context);
  }
}

/** {@link ErrorCode.UNKNOWN_MERCHANT}: no merchant of a many-merchant notification verifier accepts the notification. */
export class UnknownMerchantError extends VerificationError {
  static readonly code = ErrorCode.UNKNOWN_MERCHANT;
  declare code: typeof ErrorCode.UNKNOWN_MERCHANT;
  constructor(message: string, context?: WechatpayErrorContext) {
    super(message, ErrorCode.UNKNOWN_MERCHANT, context);
  }
}

/** {@link ErrorCode.NETWORK}: no answer came; the message says whether the request can have been processed, and where it was tried. */
export class NetworkError extends WechatpayError {
  static readonly code = ErrorCode.NETWORK;
  declare code: typeof ErrorCode.NETWORK;
  /** False only when the request provably never reached the gateway (nothing of it was written). */
  readonly mayHaveBeenProcessed: boolean;
  /** The host of each attempt, in order (`api.mch.weixin.qq.com`, then its backup, …). */
  readonly hosts: readonly string[];

  constructor(message: string, fields: { mayHaveBeenProcessed: boolean; hosts: readonly string[] }, context?: WechatpayErrorContext) {
    super(message, ErrorCode.NETWORK, context);
    this.mayHaveBeenProcessed = fields.mayHaveBeenProcessed;
    this.hosts = fields.hosts;
  }
}

/** {@link ErrorCode.SIGNER_FAILED}: the external signer failed; nothing was sent. */
export class SignerFailedError extends WechatpayError {
  static readonly code = ErrorCode.SIGNER_FAILED;
  declare code: typeof ErrorCode.SIGNER_FAILED;
  constructor(message: string, context?: WechatpayErrorContext) {
    super(message, ErrorCode.SIGNER_FAILED, context);
  }
}

/** {@link ErrorCode.HASH_MISMATCH}: a downloaded file does not match its digest; nothing was kept. */
export class HashMismatchError extends VerificationError {
  static readonly code = ErrorCode.HASH_MISMATCH;
  declare code: typeof ErrorCode.HASH_MISMATCH;
  constructor(message: string, context?: WechatpayErrorContext) {
    super(message, ErrorCode.HASH_MISMATCH, context);
  }
}

/** {@link ErrorCode.UNTRUSTED_DOWNLOAD_URL}: a `download_url` leaves the client's `baseURL`; nothing was sent there. */
export class UntrustedDownloadUrlError extends VerificationError {
  static readonly code = ErrorCode.UNTRUSTED_DOWNLOAD_URL;
  declare code: typeof ErrorCode.UNTRUSTED_DOWNLOAD_URL;
  constructor(message: string, context?: WechatpayErrorContext) {
    super(message, ErrorCode.UNTRUSTED_DOWNLOAD_URL, context);
  }
}

/** {@link ErrorCode.DECRYPTION_FAILED}: a ciphertext did not decrypt. */
export class DecryptionFailedError extends DecryptionError {
  static readonly code = ErrorCode.DECRYPTION_FAILED;
  declare code: typeof ErrorCode.DECRYPTION_FAILED;
  constructor(message: string, context?: WechatpayErrorContext) {
    super(message, ErrorCode.DECRYPTION_FAILED, context);
  }
}

/** {@link ErrorCode.MALFORMED_BODY}: a body is not the JSON or XML it should be. */
export class MalformedBodyError extends WechatpayError {
  static readonly code = ErrorCode.MALFORMED_BODY;
  declare code: typeof ErrorCode.MALFORMED_BODY;
  constructor(message: string, context?: WechatpayErrorContext) {
    super(message, ErrorCode.MALFORMED_BODY, context);
  }
}

/** {@link ErrorCode.NO_CERTIFICATES}: the merchant has no platform certificates (it is on the public key). */
export class NoCertificatesError extends WechatpayError {
  static readonly code = ErrorCode.NO_CERTIFICATES;
  declare code: typeof ErrorCode.NO_CERTIFICATES;
  constructor(message: string, context?: WechatpayErrorContext) {
    super(message, ErrorCode.NO_CERTIFICATES, context);
  }
}

/** {@link ErrorCode.TIMEOUT}: the call outlived its deadline. */
export class TimeoutError extends WechatpayError {
  static readonly code = ErrorCode.TIMEOUT;
  declare code: typeof ErrorCode.TIMEOUT;
  constructor(message: string, context?: WechatpayErrorContext) {
    super(message, ErrorCode.TIMEOUT, context);
  }
}

/** {@link ErrorCode.ANSWER_TOO_LARGE}: the answer passed its size limit; reading stopped there. */
export class AnswerTooLargeError extends WechatpayError {
  static readonly code = ErrorCode.ANSWER_TOO_LARGE;
  declare code: typeof ErrorCode.ANSWER_TOO_LARGE;
  constructor(message: string, context?: WechatpayErrorContext) {
    super(message, ErrorCode.ANSWER_TOO_LARGE, context);
  }
}

/** {@link ErrorCode.BODY_CONSUMED}: a body parser read the notification's body first and kept no raw copy. */
export class BodyConsumedError extends WechatpayError {
  static readonly code = ErrorCode.BODY_CONSUMED;
  declare code: typeof ErrorCode.BODY_CONSUMED;
  constructor(message: string, context?: WechatpayErrorContext) {
    super(message, ErrorCode.BODY_CONSUMED, context);
  }
}

/** The gateway answered with a non-2xx status and (usually) a JSON error body. */
export class ApiError extends WechatpayError {
  static readonly code = ErrorCode.API_ERROR;
  declare code: typeof ErrorCode.API_ERROR;
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

/** A class of one {@link ErrorCode}: constructed from a message and context, the code filled in. */
export type ErrorClass = (new (message: string, context?: WechatpayErrorContext) => WechatpayError) & { readonly code: ErrorCode };

/** Every code but `API_ERROR` and `NETWORK` (whose classes take fields of their own too), to its one class. */
export const ERROR_CLASSES = {
  [ErrorCode.INVALID_OPTION]: InvalidOptionError,
  [ErrorCode.TEMPLATE_VARIABLE]: TemplateVariableError,
  [ErrorCode.INVALID_ARGUMENT]: InvalidArgumentError,
  [ErrorCode.INCOMPLETE_HEADERS]: IncompleteHeadersError,
  [ErrorCode.CLOCK_SKEW]: ClockSkewError,
  [ErrorCode.UNKNOWN_SERIAL]: UnknownSerialError,
  [ErrorCode.CERTIFICATE_EXPIRED]: CertificateExpiredError,
  [ErrorCode.BAD_SIGNATURE]: BadSignatureError,
  [ErrorCode.SIGNATURE_PROBE]: SignatureProbeError,
  [ErrorCode.UNKNOWN_MERCHANT]: UnknownMerchantError,
  [ErrorCode.SIGNER_FAILED]: SignerFailedError,
  [ErrorCode.HASH_MISMATCH]: HashMismatchError,
  [ErrorCode.UNTRUSTED_DOWNLOAD_URL]: UntrustedDownloadUrlError,
  [ErrorCode.DECRYPTION_FAILED]: DecryptionFailedError,
  [ErrorCode.MALFORMED_BODY]: MalformedBodyError,
  [ErrorCode.NO_CERTIFICATES]: NoCertificatesError,
  [ErrorCode.TIMEOUT]: TimeoutError,
  [ErrorCode.ANSWER_TOO_LARGE]: AnswerTooLargeError,
  [ErrorCode.BODY_CONSUMED]: BodyConsumedError,
} as const satisfies Record<Exclude<ErrorCode, typeof ErrorCode.API_ERROR | typeof ErrorCode.NETWORK>, ErrorClass>;

/** The verification codes, as the platform-signature check reports them. */
export type VerificationCode = (typeof ErrorCode)['INCOMPLETE_HEADERS' | 'CLOCK_SKEW' | 'UNKNOWN_SERIAL' | 'CERTIFICATE_EXPIRED' | 'BAD_SIGNATURE' | 'SIGNATURE_PROBE'];

/** The error of a failed verification check, of the one class its code belongs to. */
export function verificationError(code: VerificationCode, message: string, context?: WechatpayErrorContext): VerificationError {
  return new ERROR_CLASSES[code](message, context);
}
