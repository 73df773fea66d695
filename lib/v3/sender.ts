import type { CreateAxiosDefaults, Method } from 'axios';
import type { ApiSender } from '../chain';
import type { ResolvedV3 } from '../client-options';
import { toAxiosConfig } from '../request-options';
import type { PathTemplate } from '../uri-template';
import { createV3Client } from './client';
import { prepareSensitiveCall } from './sensitive-call';

/**
 * Sends APIv3 calls: sensitive fields handled, options turned into a signed, verified axios call
 * that the call's deadline signal aborts. `timeoutMs` bounds each certificate download too.
 */
export function createV3Sender(mchid: string, v3: ResolvedV3, defaults: CreateAxiosDefaults, timeoutMs: number): ApiSender {
  const { instance, refresher } = createV3Client(mchid, v3, defaults, timeoutMs);
  const sensitiveKeys = { keyring: v3.keyring, privateKey: v3.privateKey };
  const send = (verb: string, template: PathTemplate, options: unknown, signal: AbortSignal) => {
    const call = prepareSensitiveCall(options, sensitiveKeys);
    const config = toAxiosConfig(verb as Method, template, call.options);
    // The deadline is the call's whole timeout; axios' own would only watch for a quiet socket.
    config.signal = signal;
    config.timeout = 0;
    const sent = instance.request(config);
    // Only calls that decrypt answer fields pay for the extra promise hop.
    const { finish } = call;
    return finish ? sent.then((response) => finish(response)) : sent;
  };
  if (!refresher) return send;
  return (verb, template, options, signal) => {
    const pending = refresher.ensureFresh();
    return pending ? pending.then(() => send(verb, template, options, signal)) : send(verb, template, options, signal);
  };
}
