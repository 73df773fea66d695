// The public API of wechatpay-ts. Its declarations use Node's types (Buffer, KeyObject, node:http), so they say so
// themselves: a consumer whose tsconfig loads no types automatically still compiles.
/// <reference types="node" preserve="true" />
/**
 * The client ({@link Wechatpay}), the payment parameters for the mini program, JSAPI and app SDKs
 * ({@link PaymentParams}), notifications ({@link NotificationVerifier} and the framework adapters),
 * bills and downloads, the crypto helpers, `diagnose()` (what `wechatpay doctor` runs) and the
 * errors, all under {@link WechatpayError}. The types of each endpoint's options and answer
 * (`Endpoints`) are not listed here: the [endpoint reference](/reference) has a page for every path.
 *
 * @module wechatpay-ts
 */
export { Wechatpay, type DeclaredPath, type PathNode } from './wechatpay';
export { type Endpoints } from '@wechatpay-ts/openapi-types/endpoints';
export {
  type Operation,
  type TypedVerb,
  type TypedVerb as EndpointVerb,
  type OptionalVerb,
  type KnownNode,
  type KnownNode as Node,
  type Verbs,
  type RequestHeaders,
  type V3Extra,
  type V2Extra,
} from './typed-endpoint';
export { type WechatpayOptions, DEFAULT_BASE_URL } from './client-options';
export { type RequestOptions } from './request-options';
export { type Callback, type ChainNode, type Verb, VERBS, toSegment, untyped } from './chain';
export {
  ErrorCode,
  ERROR_CLASSES,
  WechatpayError,
  OptionError,
  VerificationError,
  DecryptionError,
  ApiError,
  InvalidOptionError,
  TemplateVariableError,
  InvalidArgumentError,
  IncompleteHeadersError,
  ClockSkewError,
  UnknownSerialError,
  CertificateExpiredError,
  BadSignatureError,
  SignatureProbeError,
  UnknownMerchantError,
  HashMismatchError,
  UntrustedDownloadUrlError,
  DecryptionFailedError,
  MalformedBodyError,
  NoCertificatesError,
  TimeoutError,
  AnswerTooLargeError,
  NetworkError,
  SignerFailedError,
  BodyConsumedError,
  type ErrorClass,
  type WechatpayErrorContext,
} from './errors';
export { Rsa, type RsaPadding } from './crypto/rsa';
export { AesGcm } from './crypto/aes-gcm';
export { AesEcb } from './crypto/aes-ecb';
export { Hash } from './crypto/hash';
export { Formatter } from './formatter';
export { NotificationVerifier, type NotificationOptions, type NotificationLimits, type CertsSource, type ClientSource, type ClientsSource, type NotificationRequest, type NotificationHeaders } from './v3/notification';
export type { Notification, NotificationEvent, NotificationResources } from './v3/notification-events';
export type * from './v3/notification-resources';
export { type KeyInput } from './keys';
export { CLOCK_WINDOW_SECONDS, SIGNATURE_PROBE_PREFIX } from './v3/platform-signature';
export { VERSION } from './version';
export { PaymentParams, type PaymentParamsOptions, type JsapiInput, type JsapiParams, type AppInput, type AppParams, type JsapiV2Input, type JsapiV2Params, type AppV2Input, type AppV2Params } from './payment-params';
export { Transformer, type ToXmlOptions } from './v2/transformer';
export { signV2, verifyV2, type V2SignType } from './v2/signature';
export { verifyV2Notification, v2NotificationAnswer, type V2Notification, type V2NotificationOptions } from './v2/notification';
export { MediaUpload, MAX_MEDIA_BYTES, mediaContentType, type MediaInput, type MediaOptions, type MultipartBody } from './v3/media';
export { downloadBill, downloadTarget, type BillRequest } from './bill/bill';
export { downloadFile, type FileRequest, type ExpectedDigest, type DownloadOptions, type DownloadResult, type FileDownload, type BufferDownload } from './bill/download';
export { answerNotification, type NotificationReply, type NotificationExchange, type NotificationAnswerInput } from './notifications/reply';
export { type NotificationHandler, type NotificationFailure, type NotificationErrorReporter, type NotificationAdapterOptions } from './notifications/adapter-options';
export { type NotificationStage } from './notifications/refusal';
export { expressNotifications, type ExpressLikeRequest, type ExpressNotificationMiddleware } from './notifications/express';
export { koaNotifications, type KoaLikeContext, type KoaNotificationMiddleware, type KoaNotificationOptions } from './notifications/koa';
export { fastifyNotifications, type FastifyLikeInstance, type FastifyLikeRequest, type FastifyLikeReply, type FastifyNotificationPlugin, type FastifyNotificationOptions } from './notifications/fastify';
export { fetchNotifications, type FetchNotificationHandler } from './notifications/fetch';
export { type FetchLikeRequest } from './notifications/fetch-body';
export { CHANNELS, type ExchangeEvent, type ResponseEvent, type ErrorEvent, type RetryEvent, type FailoverEvent, type CertificatesEvent } from './diagnostics';
export { type RetryOptions, type FailoverOptions } from './retry-policy';
export { type MessageSigner } from './v3/external-signer';
export { diagnose, type DiagnoseOptions } from './doctor/diagnose';
export { type CheckResult, type CheckStatus, type DiagnosedOption } from './doctor/check';
