import type { CreateAxiosDefaults, Method } from 'axios';
import type { Sender } from '../chain';
import type { ResolvedV3 } from '../client-options';
import { toAxiosConfig } from '../request-options';
import type { PathTemplate } from '../uri-template';
import { createV3Client } from './client';
import { prepareSensitiveCall } from './sensitive-call';

/** Sends APIv3 calls: sensitive fields handled, options turned into a signed, verified axios call. */
export function createV3Sender(mchid: string, v3: ResolvedV3, defaults: CreateAxiosDefaults): Sender {
  const { instance, refresher } = createV3Client(mchid, v3, defaults);
  const sensitiveKeys = { keyring: v3.keyring, privateKey: v3.privateKey };
  const send = (verb: string, template: PathTemplate, options: unknown) => {
    const call = prepareSensitiveCall(options, sensitiveKeys);
    const sent = instance.request(toAxiosConfig(verb as Method, template, call.options));
    // Only calls that decrypt answer fields pay for the extra promise hop.
    const { finish } = call;
    return finish ? sent.then((response) => finish(response)) : sent;
  };
  if (!refresher) return send;
  return (verb, template, options) => {
    const pending = refresher.ensureFresh();
    return pending ? pending.then(() => send(verb, template, options)) : send(verb, template, options);
  };
}
