import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import axios, { AxiosError } from 'axios';
import {
  ApiError,
  NetworkError,
  BadSignatureError,
  CertificateExpiredError,
  ClockSkewError,
  DecryptionError,
  DecryptionFailedError,
  ERROR_CLASSES,
  ErrorCode,
  HashMismatchError,
  IncompleteHeadersError,
  InvalidArgumentError,
  InvalidOptionError,
  OptionError,
  SignatureProbeError,
  TemplateVariableError,
  UnknownSerialError,
  UntrustedDownloadUrlError,
  VerificationError,
  WechatpayError,
  type Wechatpay,
} from '../lib';
import type { Sandbox } from '../lib/sandbox';
import { startSandbox } from './support/sandbox';

const ROOT = join(__dirname, '..', '..');

describe('errors', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  before(async () => ({ sandbox, wxpay } = await startSandbox()));
  after(() => sandbox.close());

  it('have stable, distinct, upper-snake codes', () => {
    const codes = Object.values(ErrorCode);
    assert.equal(new Set(codes).size, codes.length);
    for (const code of codes) assert.match(code, /^ERR_WECHATPAY_[A-Z_]+$/);
  });

  it('all extend WechatpayError, which extends AxiosError', () => {
    for (const Kind of Object.values(ERROR_CLASSES)) {
      const error = new Kind('m');
      assert.ok(error instanceof WechatpayError && error instanceof AxiosError && error instanceof Error);
      assert.ok(axios.isAxiosError(error));
      assert.equal(error.name, Kind.name);
    }
    assert.ok(ApiError.prototype instanceof WechatpayError);
  });

  it('bind each code to exactly one class, whose static and instance code are that code', () => {
    const classes: Record<string, { readonly code: string; readonly name: string }> = { ...ERROR_CLASSES, [ErrorCode.API_ERROR]: ApiError, [ErrorCode.NETWORK]: NetworkError };
    assert.deepEqual(Object.keys(classes).sort(), Object.values(ErrorCode).sort());
    assert.equal(new Set(Object.values(classes)).size, Object.keys(classes).length, 'no class serves two codes');
    for (const [code, Kind] of Object.entries(ERROR_CLASSES)) {
      assert.equal(Kind.code, code);
      assert.equal(new Kind('m').code, code);
    }
    assert.equal(ApiError.code, ErrorCode.API_ERROR);
  });

  it('keep the groups a caller matches on: option, verification and decryption failures', () => {
    for (const Kind of [InvalidOptionError, TemplateVariableError, InvalidArgumentError]) assert.ok(new Kind('m') instanceof OptionError);
    for (const Kind of [IncompleteHeadersError, ClockSkewError, UnknownSerialError, CertificateExpiredError, BadSignatureError, SignatureProbeError, HashMismatchError, UntrustedDownloadUrlError]) assert.ok(new Kind('m') instanceof VerificationError);
    assert.ok(new DecryptionFailedError('m') instanceof DecryptionError);
  });

  it('can be told apart exhaustively by code', () => {
    // A switch over the ErrorCode union: a code added without a case fails to compile here.
    const describe = (code: ErrorCode): string => {
      switch (code) {
        case ErrorCode.INVALID_OPTION:
        case ErrorCode.TEMPLATE_VARIABLE:
        case ErrorCode.INVALID_ARGUMENT:
          return 'fix the call';
        case ErrorCode.INCOMPLETE_HEADERS:
        case ErrorCode.CLOCK_SKEW:
        case ErrorCode.UNKNOWN_SERIAL:
        case ErrorCode.CERTIFICATE_EXPIRED:
        case ErrorCode.BAD_SIGNATURE:
        case ErrorCode.SIGNATURE_PROBE:
        case ErrorCode.UNKNOWN_MERCHANT:
        case ErrorCode.HASH_MISMATCH:
        case ErrorCode.UNTRUSTED_DOWNLOAD_URL:
        case ErrorCode.MALFORMED_BODY:
        case ErrorCode.DECRYPTION_FAILED:
          return 'do not trust the answer';
        case ErrorCode.API_ERROR:
        case ErrorCode.NO_CERTIFICATES:
          return 'the gateway said no';
        case ErrorCode.TIMEOUT:
        case ErrorCode.ANSWER_TOO_LARGE:
        case ErrorCode.NETWORK:
        case ErrorCode.SIGNER_FAILED:
          return 'the exchange did not complete';
        case ErrorCode.BODY_CONSUMED:
          return 'fix the server: a body parser runs before the notification handler';
        default: {
          const unhandled: never = code;
          return unhandled;
        }
      }
    };
    for (const code of Object.values(ErrorCode)) assert.equal(typeof describe(code), 'string');
  });

  for (const file of ['README.md', join('docs', 'guide', 'errors.md'), join('docs', 'en', 'guide', 'errors.md')]) {
    it(`are listed in ${file}, each code once, with its class`, () => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const rows = [...text.matchAll(/^\| `(\w+)` \| `(ERR_WECHATPAY_[A-Z_]+)`/gm)].map(([, name, code]) => [code, name]);
      const expected = Object.entries({ ...ERROR_CLASSES, [ErrorCode.API_ERROR]: ApiError, [ErrorCode.NETWORK]: NetworkError }).map(([code, Kind]) => [code, Kind.name]);
      assert.deepEqual(rows.sort(), expected.sort());
    });
  }

  it('never carry key material, whatever way they are printed', async () => {
    const secrets = [sandbox.merchant.privateKeyPem, ...sandbox.platformKeys.map((key) => key.privateKeyPem)];
    const bodies = secrets.flatMap((pem) => pem.split('\n').filter((line) => line.length === 64));
    const errors: unknown[] = [];
    for (const fault of [{ type: 'tampered-body' }, { type: 'error', status: 400 }, { type: 'unknown-serial' }] as const) {
      sandbox.inject(fault);
      errors.push(await wxpay.v3.echo.post({ json: { a: 1 } }).catch((error: unknown) => error));
    }
    errors.push(await wxpay.v3.echo._id_.get().catch((error: unknown) => error));
    for (const error of errors) {
      assert.ok(error instanceof WechatpayError);
      const shown = [inspect(error, { depth: 6, showHidden: true }), JSON.stringify(error), String(error.stack), Object.keys(error).join()].join('\n');
      assert.doesNotMatch(shown, /PRIVATE KEY/);
      for (const line of bodies) assert.equal(shown.includes(line), false);
    }
  });
});
