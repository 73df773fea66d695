import type { KeyObject } from 'node:crypto';
import { Readable } from 'node:stream';
import type { AxiosResponse, InternalAxiosRequestConfig, ResponseType } from 'axios';
import { MalformedBodyError, verificationError, type VerificationCode } from '../errors';
import type { Validity } from '../platform-keys';
import { Formatter } from '../formatter';
import { discardAnswer, limitAnswer, readAnswer, responseHeader, streamAnswer } from '../response-body';
import { isUnsignedDownload } from './download-paths';
import { checkPlatformSignature, curedByDownload, requireSignatureHeaders } from './platform-signature';

/** How the SDK reads one answer: the caller's requested responseType, and whether the gateway signs it. */
const ANSWER = Symbol('wechatpay.answer');

interface VerifiedConfig extends InternalAxiosRequestConfig {
  [ANSWER]?: { wanted?: ResponseType; unsigned: boolean };
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
 * Makes axios hand the verifier the answer unread (see {@link streamAnswer}), noting whether
 * `pathname`, the path as it will be sent, is an unsigned download.
 */
export function expectRawResponse(config: InternalAxiosRequestConfig, pathname: string): void {
  (config as VerifiedConfig)[ANSWER] = { wanted: config.responseType, unsigned: isUnsignedDownload(pathname) };
  streamAnswer(config);
}

/** Turns the bytes of an answer into what the caller asked for: parsed JSON by default (`lenient`: text when they are not JSON). */
function present(raw: Buffer, wanted: ResponseType | undefined, response: AxiosResponse, lenient: boolean): unknown {
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
        if (lenient) return text;
        throw new MalformedBodyError('the verified response body is not valid JSON', {
          config: response.config,
          response,
          cause,
        });
      }
    }
  }
}

/**
 * Builds the axios response interceptor of APIv3. A signed answer without the four signature
 * headers is refused from its headers, its body never read; otherwise the body is read within
 * `maxContentLength`, the platform's signature checked over the raw bytes
 * ({@link checkPlatformSignature}), and only then parsed. Unsigned downloads are bounded the same
 * way and handed over as the caller asked (a stream stays a stream).
 */
export function createVerifier(options: VerifierOptions) {
  const now = options.now ?? Date.now;

  const failFor = (response: AxiosResponse) => (message: string, code: VerificationCode) => verificationError(code, `response: ${message}`, { config: response.config, response });

  function check(response: AxiosResponse, raw: Buffer): void {
    checkPlatformSignature((name) => responseHeader(response, name), raw, {
      keys: options.keys,
      validity: options.validity,
      nowSeconds: Formatter.timestamp(now()),
      fail: failFor(response),
    });
  }

  async function verifyResponse(response: AxiosResponse): Promise<AxiosResponse> {
    const answer = (response.config as VerifiedConfig)[ANSWER];
    if (!answer) return response;
    if (answer.unsigned && answer.wanted === 'stream') {
      response.data = limitAnswer(response);
      return response;
    }
    if (!answer.unsigned) {
      try {
        requireSignatureHeaders((name) => responseHeader(response, name), failFor(response));
      } catch (error) {
        // Refused from its headers: an unsigned body is not worth reading, however large.
        discardAnswer(response);
        throw error;
      }
    }
    const raw = await readAnswer(response);
    if (!answer.unsigned) {
      try {
        check(response, raw);
      } catch (error) {
        if (!options.refresh || !curedByDownload(error, responseHeader(response, 'wechatpay-serial'))) throw error;
        await options.refresh();
        check(response, raw);
      }
    }
    response.data = present(raw, answer.wanted, response, answer.unsigned);
    return response;
  }

  return { verifyResponse };
}
