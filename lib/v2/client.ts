import { Agent as HttpsAgent } from 'node:https';
import { createSecureContext } from 'node:tls';
import axios, { type AxiosInstance, type CreateAxiosDefaults } from 'axios';
import type { ResolvedV2 } from '../client-options';
import { USER_AGENT } from '../http-defaults';
import { appendQuery, serializeQuery } from '../query-string';
import { createV2Verifier } from './verifier';

/** The APIv2 axios instance, and the agent that carries the merchant certificate for `security: true`. */
export interface V2Client {
  instance: AxiosInstance;
  securityAgent?: HttpsAgent;
}

/**
 * The axios instance of APIv2: XML bodies sent as built (no transforms), the query serialized by
 * {@link serializeQuery} as for APIv3, answers read as bytes and verified by {@link createV2Verifier}. The security agent keeps the options of the
 * configured `httpsAgent` (a private CA, say) and adds the merchant certificate, as a TLS context
 * built here once: the agent holds only that context, never the key, pfx or passphrase, so no
 * response, error or config that reaches the caller can show them (Node names an agent's socket
 * pools after its key options, and axios serializes the agent with an error's config).
 */
export function createV2Client(v2: ResolvedV2, defaults: CreateAxiosDefaults): V2Client {
  const instance = axios.create({
    ...defaults,
    headers: { 'Content-Type': 'text/xml; charset=utf-8', Accept: 'text/xml, application/xml, */*', 'User-Agent': USER_AGENT, ...defaults.headers },
    responseType: 'arraybuffer',
    transformRequest: [(data: unknown) => data],
    transformResponse: [],
  });
  // The query goes through the SDK's own serializer, as APIv3's does, rather than axios's: the
  // same RFC 3986 UTF-8 encoding, and a control character or lone surrogate is an OptionError
  // here, before anything is sent, not an error from inside the HTTP adapter.
  instance.interceptors.request.use((config) => {
    if (config.params === undefined) return config;
    config.url = appendQuery(config.url ?? '', serializeQuery(config.params, config.paramsSerializer));
    config.params = undefined;
    return config;
  });
  const { verifyResponse, explainFailure } = createV2Verifier(v2.secret);
  instance.interceptors.response.use(verifyResponse, explainFailure);
  const base = (defaults.httpsAgent as HttpsAgent | undefined)?.options ?? {};
  const securityAgent = v2.merchant ? new HttpsAgent({ ...base, keepAlive: true, secureContext: createSecureContext({ ...base, ...v2.merchant }) }) : undefined;
  return { instance, securityAgent };
}
