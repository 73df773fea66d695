import type { CreateAxiosDefaults } from 'axios';
import type { ApiSender } from '../chain';
import type { ResolvedV2 } from '../client-options';
import { sendAttempts, type Destination } from '../attempts';
import { createV2Client } from './client';
import { checkV2Call } from './request';

/**
 * One APIv2 call: the options checked and `xml` signed into the body ({@link checkV2Call}), then
 * the axios instance of {@link createV2Client} sends it and verifies the answer, attempt after
 * attempt as the retry policy allows ({@link sendAttempts}), under the call's deadline.
 */
export function createV2Sender(v2: ResolvedV2, defaults: CreateAxiosDefaults, destination: Destination): ApiSender {
  const { instance, securityAgent } = createV2Client(v2, defaults);
  const context = { mchid: destination.mchid, secret: v2.secret, securityAgent };
  return (verb, template, options, deadline) => sendAttempts(instance, checkV2Call(verb, template, options, context), { ...destination, what: `${verb.toUpperCase()} ${template.source}`, deadline });
}
