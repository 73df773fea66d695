import axios, { type AxiosInstance, type CreateAxiosDefaults } from 'axios';
import type { ResolvedV3 } from '../client-options';
import { USER_AGENT } from '../http-defaults';
import { createSigner } from './signer';
import { createVerifier } from './verifier';

/**
 * The axios instance of APIv3: JSON, a signing request interceptor and a verifying response
 * interceptor on top of the shared defaults. Interceptors a user adds later run before signing.
 */
export function createV3Client(mchid: string, v3: ResolvedV3, defaults: CreateAxiosDefaults): AxiosInstance {
  const instance = axios.create({ ...defaults, headers: { Accept: 'application/json', ...defaults.headers } });
  instance.interceptors.request.use(
    createSigner({ mchid, serial: v3.serial, privateKey: v3.privateKey, responseKeyId: v3.responseKeyId, userAgent: USER_AGENT }),
    undefined,
    // The signer never awaits, so axios may run it without a promise hop of its own.
    { synchronous: true },
  );
  const { verifyResponse, explainFailure } = createVerifier({ keys: v3.keys });
  instance.interceptors.response.use(verifyResponse, explainFailure);
  return instance;
}
