import type { CreateAxiosDefaults } from 'axios';
import type { ApiSender } from '../chain';
import type { ResolvedV3 } from '../client-options';
import { sendAttempts, type Destination } from '../attempts';
import { checkV3Call } from './call-options';
import type { MerchantKeys } from './client-keys';
import { createV3Client } from './client';
import { applySensitiveFields } from './sensitive-call';

/**
 * One APIv3 call, top to bottom: the options checked, the platform keys made ready (a client
 * with `apiv3Key` downloads them first), sensitive fields encrypted, then the axios instance of
 * {@link createV3Client} signs, sends and verifies, attempt after attempt as the retry policy
 * allows ({@link sendAttempts}), all under the call's deadline; last, the
 * answer's sensitive fields are decrypted. Also returns the keys the client lends notification
 * verifiers (`new NotificationVerifier({ client })`): the same keyring and certificate refresh.
 */
export function createV3Sender(v3: ResolvedV3, defaults: CreateAxiosDefaults, timeoutMs: number, destination: Destination): { send: ApiSender; keys: MerchantKeys } {
  const { mchid } = destination;
  const { instance, refresher } = createV3Client(v3, defaults, timeoutMs, destination);
  const sensitiveKeys = { keyring: v3.keyring, privateKey: v3.privateKey };
  const keys: MerchantKeys = { mchid, keyring: v3.keyring, apiv3Key: v3.apiv3Key, refresh: refresher && (() => refresher.refreshForUnknownSerial()) };
  const send: ApiSender = async (verb, template, options, deadline) => {
    const call = checkV3Call(verb, template, options);
    const pending = refresher?.ensureFresh();
    if (pending) await pending;
    const decrypt = applySensitiveFields(call, sensitiveKeys);
    const response = await sendAttempts(instance, call.config, { ...destination, what: `${verb.toUpperCase()} ${template.source}`, deadline });
    return decrypt ? decrypt(response) : response;
  };
  return { send, keys };
}
