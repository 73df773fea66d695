import type { CreateAxiosDefaults, Method } from 'axios';
import type { ApiSender } from '../chain';
import type { ResolvedV3 } from '../client-options';
import { withDeadline, type Deadline } from '../deadline';
import { toAxiosConfig } from '../request-options';
import type { PathTemplate } from '../uri-template';
import { createV3Client } from './client';
import { prepareSensitiveCall } from './sensitive-call';

/**
 * Sends APIv3 calls: sensitive fields handled, options turned into a signed, verified axios call
 * that the call's deadline ends. `timeoutMs` bounds each certificate download too.
 */
export function createV3Sender(mchid: string, v3: ResolvedV3, defaults: CreateAxiosDefaults, timeoutMs: number): ApiSender {
  const { instance, refresher } = createV3Client(mchid, v3, defaults, timeoutMs);
  const sensitiveKeys = { keyring: v3.keyring, privateKey: v3.privateKey };
  const send = (verb: string, template: PathTemplate, options: unknown, deadline: Deadline) => {
    const call = prepareSensitiveCall(options, sensitiveKeys);
    const config = toAxiosConfig(verb as Method, template, call.options);
    withDeadline(config, deadline);
    const sent = instance.request(config);
    // Only calls that decrypt answer fields pay for the extra promise hop.
    const { finish } = call;
    return finish ? sent.then((response) => finish(response)) : sent;
  };
  if (!refresher) return send;
  return (verb, template, options, deadline) => {
    const pending = refresher.ensureFresh();
    return pending ? pending.then(() => send(verb, template, options, deadline)) : send(verb, template, options, deadline);
  };
}
