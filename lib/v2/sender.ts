import type { CreateAxiosDefaults } from 'axios';
import type { ApiSender } from '../chain';
import type { ResolvedV2 } from '../client-options';
import { withDeadline } from '../deadline';
import { toAxiosConfig } from '../request-options';
import { parsePathTemplate, type PathTemplate } from '../uri-template';
import { createV2Client } from './client';
import { prepareV2Call } from './request';

/**
 * Sends APIv2 calls: the `v2/` prefix dropped, `xml` signed into the body, `security` choosing
 * the mutual-TLS agent, and the rest of the options handled as for APIv3, under the call's deadline.
 */
export function createV2Sender(mchid: string, v2: ResolvedV2, defaults: CreateAxiosDefaults): ApiSender {
  const { instance, securityAgent } = createV2Client(v2, defaults);
  const stripped = new WeakMap<PathTemplate, PathTemplate>();
  return (verb, template, options, deadline) => {
    let path = stripped.get(template);
    if (!path) stripped.set(template, (path = parsePathTemplate(template.source.replace(/^v2\//, ''))));
    const { rest, body, httpsAgent } = prepareV2Call(options, { mchid, secret: v2.secret, securityAgent });
    const config = toAxiosConfig(verb, path, rest);
    if (body !== undefined) config.data = body;
    if (httpsAgent) config.httpsAgent = httpsAgent;
    withDeadline(config, deadline);
    return instance.request(config);
  };
}
