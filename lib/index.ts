export { Wechatpay, type ChainNode } from './wechatpay';
export { type WechatpayOptions, DEFAULT_BASE_URL } from './client-options';
export { type RequestOptions } from './request-options';
export { type Callback, type Verb, VERBS, toSegment } from './chain';
export { ErrorCode, WechatpayError, OptionError, VerificationError, ApiError } from './errors';
export { Formatter } from './formatter';
export { type KeyInput } from './keys';
export { CLOCK_WINDOW_SECONDS, SIGNATURE_PROBE_PREFIX } from './v3/verifier';
export { VERSION } from './version';
