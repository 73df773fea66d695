import type { CreateAxiosDefaults, Method } from 'axios';
import type { Sender } from '../chain';
import type { ResolvedV3 } from '../client-options';
import { toAxiosConfig } from '../request-options';
import { createV3Client } from './client';
import { prepareSensitiveCall } from './sensitive-call';

/** Sends APIv3 calls: sensitive fields handled, options turned into a signed, verified axios call. */
export function createV3Sender(mchid: string, v3: ResolvedV3, defaults: CreateAxiosDefaults): Sender {
  const client = createV3Client(mchid, v3, defaults);
  const sensitiveKeys = { keys: v3.keys, preferredId: v3.responseKeyId, privateKey: v3.privateKey };
  return (verb, template, options) => {
    const call = prepareSensitiveCall(options, sensitiveKeys);
    return client.request(toAxiosConfig(verb as Method, template, call.options)).then((response) => call.finish(response));
  };
}
