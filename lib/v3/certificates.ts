import type { AxiosInstance, AxiosResponse } from 'axios';
import { AesGcm } from '../crypto/aes-gcm';
import { ApiError, MalformedBodyError, NoCertificatesError, verificationError } from '../errors';
import { Formatter } from '../formatter';
import { loadVerificationKey, type VerificationKey } from '../keys';
import type { PlatformKeyring } from '../platform-keys';
import { sendAttempts, type Destination } from '../attempts';
import type { Deadline } from '../deadline';
import { readAnswer, responseHeader } from '../response-body';
import { checkPlatformSignature } from './platform-signature';

/** One platform certificate, downloaded, decrypted and checked. */
export interface DownloadedCertificate {
  serial: string;
  pem: string;
  key: VerificationKey;
}

interface EncryptedCertificate {
  serial_no?: unknown;
  encrypt_certificate?: { algorithm?: unknown; nonce?: unknown; associated_data?: unknown; ciphertext?: unknown };
}

function malformed(message: string, response?: AxiosResponse, cause?: unknown): MalformedBodyError {
  return new MalformedBodyError(`GET /v3/certificates: ${message}`, { config: response?.config, response, cause });
}

function decrypt(item: EncryptedCertificate, apiv3Key: Buffer, response: AxiosResponse): DownloadedCertificate {
  const encrypted = item.encrypt_certificate;
  const serial = typeof item.serial_no === 'string' ? item.serial_no.toUpperCase() : '';
  if (!serial || !encrypted || typeof encrypted.ciphertext !== 'string' || typeof encrypted.nonce !== 'string' || encrypted.algorithm !== 'AEAD_AES_256_GCM') {
    throw malformed('an entry lacks serial_no or an AEAD_AES_256_GCM encrypt_certificate', response);
  }
  const aad = typeof encrypted.associated_data === 'string' ? encrypted.associated_data : '';
  // GCM authenticates: a certificate that decrypts came from someone who holds our APIv3 key.
  const pem = AesGcm.decrypt(encrypted.ciphertext, apiv3Key, encrypted.nonce, aad);
  const key = loadVerificationKey(pem, `certificate ${serial}`);
  if (key.certificateSerial !== serial) throw malformed(`the certificate filed as ${serial} has serial ${key.certificateSerial ?? 'none'}`, response);
  return { serial, pem, key };
}

/**
 * Downloads the platform certificates (`GET /v3/certificates`) through `http`, an instance that
 * signs requests but leaves answers to this function: each certificate is decrypted with the
 * APIv3 key and parsed, and the answer's signature is checked with a key already trusted or,
 * only when none is held yet, with the downloaded certificate the answer names (the bootstrap the
 * PHP downloader does). A merchant on the WeChat Pay public key gets 404 (or 403): that is
 * {@link ErrorCode.NO_CERTIFICATES}, with what to do instead; any other non-2xx is an
 * {@link ApiError}. `deadline` ends the download; `destination` is where it goes and how it is
 * retried (the client's policy: a GET, so network errors, 5xx and 429 are retried).
 */
export async function downloadCertificates(http: AxiosInstance, apiv3Key: Buffer, trusted: PlatformKeyring, options: { deadline: Deadline; destination: Destination; now?: () => number }): Promise<DownloadedCertificate[]> {
  const now = options.now ?? Date.now;
  const { deadline, destination } = options;
  let response: AxiosResponse<unknown>;
  try {
    response = await sendAttempts(http, { method: 'get', url: 'v3/certificates' }, { ...destination, what: 'GET v3/certificates', deadline });
  } catch (error) {
    const status = error instanceof ApiError ? error.response?.status : undefined;
    if (status === 404 || status === 403) {
      throw new NoCertificatesError(
        `GET /v3/certificates answered ${status}: this merchant has no platform certificates (it verifies with a WeChat Pay public key). Give certs: { 'PUB_KEY_ID_…': public key } instead of downloading`,
        { config: (error as ApiError).config, response: (error as ApiError).response, cause: error },
      );
    }
    throw error;
  }
  const raw = await readAnswer(response);
  let body: { data?: unknown };
  try {
    body = JSON.parse(raw.toString('utf8')) as { data?: unknown };
  } catch (cause) {
    throw malformed('the answer is not JSON', response, cause);
  }
  if (!Array.isArray(body.data)) throw malformed('the answer has no data array', response);
  const downloaded = body.data.map((item) => decrypt(item as EncryptedCertificate, apiv3Key, response));
  const named = (responseHeader(response, 'wechatpay-serial') ?? '').toUpperCase();
  const known = trusted.keys.get(named);
  const keys = new Map(known ? [[named, known]] : trusted.hasCertificates || trusted.keys.size > 0 ? [] : downloaded.filter((c) => c.serial === named).map((c) => [c.serial, c.key.key] as const));
  checkPlatformSignature((name) => responseHeader(response, name), raw, {
    keys,
    validity: (id) => trusted.validity(id) ?? downloaded.find((c) => c.serial === id.toUpperCase())?.key,
    nowSeconds: Formatter.timestamp(now()),
    fail: (message, code) => verificationError(code, `GET /v3/certificates: ${message}`, { config: response.config, response }),
  });
  return downloaded;
}
