import { Agent as HttpsAgent } from 'node:https';
import axios, { type AxiosInstance, type CreateAxiosDefaults } from 'axios';
import type { ResolvedV2 } from '../client-options';
import { IDLE_SOCKET_MS, USER_AGENT } from '../http-defaults';
import { pinRequestUrl } from '../request-url';
import { streamAnswer } from '../response-body';
import { createV2Verifier } from './verifier';

/** The APIv2 axios instance, and the agent that carries the merchant certificate for `security: true`. */
export interface V2Client {
  instance: AxiosInstance;
  securityAgent?: HttpsAgent;
}

/**
 * The axios instance of APIv2: XML bodies sent as built (no transforms), the URL and query fixed
 * by the SDK as for APIv3 ({@link pinRequestUrl}), answers read as bytes within
 * `maxContentLength` and verified by {@link createV2Verifier}. The security agent keeps the options of the
 * configured `httpsAgent` (a private CA, say) and carries the merchant certificate as the TLS
 * context built once at construction: the agent holds only that context, never the key, pfx or passphrase, so no
 * response, error or config that reaches the caller can show them (Node names an agent's socket
 * pools after its key options, and axios serializes the agent with an error's config).
 */
export function createV2Client(v2: ResolvedV2, defaults: CreateAxiosDefaults): V2Client {
  const instance = axios.create({
    ...defaults,
    headers: { 'Content-Type': 'text/xml; charset=utf-8', Accept: 'text/xml, application/xml, */*', 'User-Agent': USER_AGENT, ...defaults.headers },
    transformRequest: [(data: unknown) => data],
  });
  // After axios merged the defaults: the client's maxContentLength is the one kept, and the URL
  // fixed here is the one sent and the one the verifier judges the answer by.
  instance.interceptors.request.use(
    (config) => {
      pinRequestUrl(config);
      streamAnswer(config);
      return config;
    },
    undefined,
    { synchronous: true },
  );
  const { verifyResponse, explainFailure } = createV2Verifier(v2.secret);
  instance.interceptors.response.use(verifyResponse, explainFailure);
  const base = (defaults.httpsAgent as HttpsAgent | undefined)?.options ?? {};
  const securityAgent = v2.secureContext ? new HttpsAgent({ timeout: IDLE_SOCKET_MS, ...base, keepAlive: true, secureContext: v2.secureContext }) : undefined;
  return { instance, securityAgent };
}
