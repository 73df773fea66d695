import axios, { type AxiosInstance, type AxiosResponse, type CreateAxiosDefaults } from 'axios';
import type { Destination } from '../attempts';
import type { ResolvedV3 } from '../client-options';
import { USER_AGENT } from '../http-defaults';
import { toApiError } from './api-error';
import { CertificateRefresher } from './certificate-refresher';
import { signExternally } from './external-signer';
import { createRequestPreparer, signWithKey } from './signer';
import { createVerifier, expectRawResponse } from './verifier';

/** The APIv3 instance, and the certificate refresher when the client manages its certificates. */
export interface V3Client {
  instance: AxiosInstance;
  refresher?: CertificateRefresher;
}

/**
 * An APIv3 instance that signs requests, hands answers over unread (bounded by
 * `maxContentLength`), runs `verifyResponse` on 2xx answers and turns the others into
 * {@link ApiError}s. Without `verifyResponse`, verification is the caller's: the certificate
 * download verifies its own way.
 */
export function signedInstance(mchid: string, v3: ResolvedV3, defaults: CreateAxiosDefaults, verifyResponse?: (response: AxiosResponse) => Promise<AxiosResponse>): AxiosInstance {
  const instance = axios.create({ ...defaults, headers: { Accept: 'application/json', ...defaults.headers } });
  const prepare = createRequestPreparer({ mchid, serial: v3.serial, responseKeyId: () => v3.keyring.preferredId, userAgent: USER_AGENT });
  // Signed over the URL as it will be sent; that same URL decides how the answer is read:
  // verified, unless it is one of the files the gateway does not sign (download-paths.ts).
  const { privateKey, signer } = v3;
  if (privateKey) {
    instance.interceptors.request.use(
      (config) => {
        const { url, message, finish } = prepare(config);
        finish(signWithKey(message, privateKey));
        expectRawResponse(config, url.pathname);
        return config;
      },
      undefined,
      // Nothing here awaits, so axios may run it without a promise hop of its own.
      { synchronous: true },
    );
  } else if (signer) {
    instance.interceptors.request.use(async (config) => {
      const { url, message, finish } = prepare(config);
      finish(await signExternally(signer, message));
      expectRawResponse(config, url.pathname);
      return config;
    });
  }
  // One interceptor pair: each pair costs every call a promise hop.
  instance.interceptors.response.use(verifyResponse, toApiError);
  return instance;
}

/**
 * The axios instance of APIv3: JSON, a signing request interceptor and a verifying response
 * interceptor on top of the shared defaults. With an APIv3 key, a second, sign-only instance
 * feeds the certificate refresher, which verifies the download its own way; each download has
 * `timeoutMs` to finish.
 */
export function createV3Client(v3: ResolvedV3, defaults: CreateAxiosDefaults, timeoutMs: number, destination: Destination): V3Client {
  const { mchid } = destination;
  const refresher = v3.apiv3Key ? new CertificateRefresher(signedInstance(mchid, v3, defaults), { apiv3Key: v3.apiv3Key, keyring: v3.keyring, timeoutMs, destination }) : undefined;
  const { verifyResponse } = createVerifier({ keys: v3.keyring.keys, validity: (id) => v3.keyring.validity(id), refresh: refresher && (() => refresher.refreshForUnknownSerial()) });
  return { instance: signedInstance(mchid, v3, defaults, verifyResponse), refresher };
}
