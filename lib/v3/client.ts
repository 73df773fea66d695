import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import type { ResolvedOptions } from '../client-options';
import { VERSION } from '../version';
import { createSigner } from './signer';
import { createVerifier } from './verifier';

/** `wechatpay-ts/<version> axios/<version> node/<version>`. */
function userAgent(): string {
  return `wechatpay-ts/${VERSION} axios/${axios.VERSION} node/${process.versions.node}`;
}

/**
 * The axios instance of APIv3: JSON over keep-alive connections, no redirects (the gateway
 * never redirects, and following one costs CPU on every call), a signing request interceptor
 * and a verifying response interceptor. Interceptors a user adds later run before signing.
 */
export function createV3Client(options: ResolvedOptions): AxiosInstance {
  const instance = axios.create({
    maxRedirects: 0,
    httpAgent: new HttpAgent({ keepAlive: true }),
    httpsAgent: new HttpsAgent({ keepAlive: true }),
    ...options.axiosDefaults,
    headers: { Accept: 'application/json', ...options.axiosDefaults.headers },
    baseURL: options.baseURL,
  });
  instance.interceptors.request.use(
    createSigner({
      mchid: options.mchid,
      serial: options.serial,
      privateKey: options.privateKey,
      responseKeyId: options.responseKeyId,
      userAgent: userAgent(),
    }),
    undefined,
    // The signer never awaits, so axios may run it without a promise hop of its own.
    { synchronous: true },
  );
  const { verifyResponse, explainFailure } = createVerifier({ keys: options.keys });
  instance.interceptors.response.use(verifyResponse, explainFailure);
  return instance;
}
