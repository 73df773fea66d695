// What a notification that was not acknowledged is answered with. Any status but 2xx makes the
// gateway send it again later; 4xx says the notification itself was refused (forged, stale,
// malformed, too large), 5xx that the merchant could not process a notification that may well be
// genuine (its handler failed, its keys are wrong, the gateway could not be reached).
import { AxiosError } from 'axios';
import { ErrorCode, WechatpayError } from '../errors';
import { isBodyTooLarge } from './body-limit';

/** Where a notification failed: reading its body, verifying it, or in the merchant's handler. */
export type NotificationStage = 'body' | 'verification' | 'handler';

/** The status of an answer that is not an acknowledgement, and the `message` of its FAIL body. */
export interface Refusal {
  status: number;
  /** Names the error code at most: never the handler's error text, never anything secret. */
  message: string;
}

const refused = (status: number, what: string): Refusal => ({ status, message: `notification refused: ${what}` });
const unprocessed = (status: number, what: string): Refusal => ({ status, message: `notification not processed: ${what}` });

/** A decryption failure of some merchant of a many-merchant verifier: its platform keys verified, its APIv3 key did not fit. */
function decryptionAmongReasons(error: WechatpayError): boolean {
  const { cause } = error as { cause?: unknown };
  return cause instanceof AggregateError && cause.errors.some((reason) => reason instanceof WechatpayError && reason.code === ErrorCode.DECRYPTION_FAILED);
}

/** The refusal of a verification error with this SDK's `code`; the switch covers every code. */
function refusalByCode(error: WechatpayError): Refusal {
  const { code } = error;
  switch (code) {
    case ErrorCode.INCOMPLETE_HEADERS:
    case ErrorCode.CLOCK_SKEW:
    case ErrorCode.UNKNOWN_SERIAL:
    case ErrorCode.CERTIFICATE_EXPIRED:
    case ErrorCode.BAD_SIGNATURE:
    case ErrorCode.SIGNATURE_PROBE:
    case ErrorCode.MALFORMED_BODY:
    case ErrorCode.INVALID_ARGUMENT:
      return refused(400, code);
    case ErrorCode.UNKNOWN_MERCHANT:
      return decryptionAmongReasons(error) ? unprocessed(500, code) : refused(400, code);
    // Our configuration is at fault (the APIv3 key), or the request reached us in a state we cannot use.
    case ErrorCode.DECRYPTION_FAILED:
    case ErrorCode.BODY_CONSUMED:
      return unprocessed(500, code);
    // The merchant has no platform certificates at all (it is on the public key): no download
    // will ever know the serial the notification names, so it is refused as an unknown one.
    case ErrorCode.NO_CERTIFICATES:
      return refused(400, code);
    // A certificate download for a serial the verifier did not know yet failed: try again later.
    case ErrorCode.API_ERROR:
    case ErrorCode.NETWORK:
    case ErrorCode.SIGNER_FAILED:
    case ErrorCode.TIMEOUT:
    case ErrorCode.ANSWER_TOO_LARGE:
      return unprocessed(503, code);
    // Codes no notification raises: a fault of ours, answered as one.
    case ErrorCode.INVALID_OPTION:
    case ErrorCode.TEMPLATE_VARIABLE:
    case ErrorCode.HASH_MISMATCH:
    case ErrorCode.UNTRUSTED_DOWNLOAD_URL:
      return unprocessed(500, code);
    default: {
      const unlisted: never = code;
      return unprocessed(500, String(unlisted));
    }
  }
}

/**
 * The answer to a notification that failed at `stage` with `error`. A failure in the handler is
 * 500 whatever it was; an error that carries the configuration of a request to the gateway came
 * from a certificate download, and is 503 whatever its code (but for the definite answer that
 * the merchant has no certificates); a body over `maxBodyBytes` is 413.
 */
export function refusalOf(error: unknown, stage: NotificationStage): Refusal {
  if (stage === 'handler') return unprocessed(500, 'the handler failed');
  if (isBodyTooLarge(error)) return refused(413, `${ErrorCode.INVALID_ARGUMENT} (body too large)`);
  if (error instanceof AxiosError && error.config !== undefined && error.code !== ErrorCode.NO_CERTIFICATES) {
    return unprocessed(503, error instanceof WechatpayError ? error.code : 'the gateway could not be reached');
  }
  if (error instanceof WechatpayError) return refusalByCode(error);
  // A request that did not arrive whole (the client went away, the stream failed).
  if (stage === 'body') return refused(400, 'the body did not arrive whole');
  return unprocessed(500, 'unexpected error');
}
