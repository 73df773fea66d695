/**
 * A misbehaviour the sandbox can put into one answer, to prove that the client rejects it.
 * Each injected fault is consumed by the next request the sandbox receives.
 */
export type Fault =
  /** The body is changed after it was signed. */
  | { type: 'tampered-body' }
  /** `Wechatpay-Timestamp` is `seconds` in the past (negative: in the future). */
  | { type: 'stale-timestamp'; seconds?: number }
  /** `Wechatpay-Serial` names a key the client does not have. */
  | { type: 'unknown-serial' }
  /** The named `Wechatpay-*` headers are left out (all four by default). */
  | { type: 'missing-headers'; headers?: string[] }
  /** The signature is a `WECHATPAY/SIGNTEST/` probe. */
  | { type: 'signature-probe' }
  /** A signed error answer with this status and JSON body. */
  | { type: 'error'; status: number; code?: string; message?: string; detail?: unknown }
  /** A correctly signed body that is not JSON. */
  | { type: 'malformed-json' }
  /** The connection is destroyed without an answer. */
  | { type: 'connection-reset' }
  /** The answer comes after `ms` milliseconds. */
  | { type: 'slow'; ms: number };

/** The `Wechatpay-*` headers a signed answer carries. */
export const SIGNATURE_HEADERS = ['Wechatpay-Timestamp', 'Wechatpay-Nonce', 'Wechatpay-Signature', 'Wechatpay-Serial'];
