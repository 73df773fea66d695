import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AxiosError } from 'axios';
import { ApiError, DecryptionFailedError, ERROR_CLASSES, ErrorCode, NetworkError, NoCertificatesError, UnknownMerchantError, UnknownSerialError, type WechatpayError } from '../../lib';
import { bodyTooLarge } from '../../lib/notifications/body-limit';
import { refusalOf } from '../../lib/notifications/refusal';

/** The status each code of a notification's verification is answered with. */
const EXPECTED: Record<ErrorCode, number> = {
  [ErrorCode.INCOMPLETE_HEADERS]: 400,
  [ErrorCode.CLOCK_SKEW]: 400,
  [ErrorCode.UNKNOWN_SERIAL]: 400,
  [ErrorCode.CERTIFICATE_EXPIRED]: 400,
  [ErrorCode.BAD_SIGNATURE]: 400,
  [ErrorCode.SIGNATURE_PROBE]: 400,
  [ErrorCode.MALFORMED_BODY]: 400,
  [ErrorCode.INVALID_ARGUMENT]: 400,
  [ErrorCode.UNKNOWN_MERCHANT]: 400,
  [ErrorCode.DECRYPTION_FAILED]: 500,
  [ErrorCode.BODY_CONSUMED]: 500,
  [ErrorCode.API_ERROR]: 503,
  [ErrorCode.NETWORK]: 503,
  [ErrorCode.SIGNER_FAILED]: 503,
  [ErrorCode.NO_CERTIFICATES]: 400,
  [ErrorCode.TIMEOUT]: 503,
  [ErrorCode.ANSWER_TOO_LARGE]: 503,
  [ErrorCode.INVALID_OPTION]: 500,
  [ErrorCode.TEMPLATE_VARIABLE]: 500,
  [ErrorCode.HASH_MISMATCH]: 500,
  [ErrorCode.UNTRUSTED_DOWNLOAD_URL]: 500,
};

/** An error of each code, of its own class. */
function errorOf(code: ErrorCode): WechatpayError {
  if (code === ErrorCode.API_ERROR) return new ApiError('m', {}, {});
  if (code === ErrorCode.NETWORK) return new NetworkError('m', { mayHaveBeenProcessed: false, hosts: [] });
  return new ERROR_CLASSES[code]('notification: m');
}

describe('refusalOf', () => {
  for (const code of Object.values(ErrorCode)) {
    it(`answers ${code} with ${EXPECTED[code]}, naming the code`, () => {
      const { status, message } = refusalOf(errorOf(code), 'verification');
      assert.equal(status, EXPECTED[code]);
      assert.ok(message.endsWith(code), message);
      assert.match(message, status < 500 ? /^notification refused: / : /^notification not processed: /);
    });
  }

  it('answers 500 for any failure of the handler, naming no part of it', () => {
    for (const error of [new Error('db password=hunter2'), new UnknownSerialError('m'), 'thrown text', undefined]) {
      assert.deepEqual(refusalOf(error, 'handler'), { status: 500, message: 'notification not processed: the handler failed' });
    }
  });

  it('answers 413 for a body over maxBodyBytes, and 400 for other bad arguments', () => {
    assert.equal(refusalOf(bodyTooLarge('5000 bytes arrived', 4096), 'body').status, 413);
    assert.equal(refusalOf(errorOf(ErrorCode.INVALID_ARGUMENT), 'body').status, 400);
  });

  it('answers 503 for any error that carries a request to the gateway (a certificate download), whatever its code', () => {
    const config = { url: '/v3/certificates', headers: {} } as never;
    const transport = new AxiosError('connect ECONNREFUSED', 'ECONNREFUSED', config);
    assert.deepEqual(refusalOf(transport, 'verification'), { status: 503, message: 'notification not processed: the gateway could not be reached' });
    const download = new UnknownSerialError('GET /v3/certificates: m', { config });
    assert.deepEqual(refusalOf(download, 'verification'), { status: 503, message: `notification not processed: ${ErrorCode.UNKNOWN_SERIAL}` });
  });

  it('answers 400 when the download said the merchant has no certificates: the serial will never be known', () => {
    const none = new NoCertificatesError('GET /v3/certificates: none', { config: { url: '/v3/certificates', headers: {} } as never });
    assert.deepEqual(refusalOf(none, 'verification'), { status: 400, message: `notification refused: ${ErrorCode.NO_CERTIFICATES}` });
  });

  it('answers UNKNOWN_MERCHANT with 500 when some merchant’s keys verified but did not decrypt, else 400', () => {
    const reasons = (...errors: WechatpayError[]) => new UnknownMerchantError('m', { cause: new AggregateError(errors) });
    assert.equal(refusalOf(reasons(new UnknownSerialError('m'), new DecryptionFailedError('m')), 'verification').status, 500);
    assert.equal(refusalOf(reasons(new UnknownSerialError('m'), new UnknownSerialError('m')), 'verification').status, 400);
  });

  it('answers a request that did not arrive whole with 400, and an unexpected failure with 500', () => {
    const reset = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    assert.deepEqual(refusalOf(reset, 'body'), { status: 400, message: 'notification refused: the body did not arrive whole' });
    assert.deepEqual(refusalOf(new TypeError('x is undefined'), 'verification'), { status: 500, message: 'notification not processed: unexpected error' });
  });
});
