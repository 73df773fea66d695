import { Rsa } from '../crypto/rsa';
import { type Route, paramError } from './routes';
import { decryptFields, type SensitiveRouteKeys } from './sensitive-routes';

/** What the echo route needs beyond the keys: how to send the test notification. */
export interface EchoRouteOptions extends SensitiveRouteKeys {
  /** POSTs the test notification for `echoMessage` to `url`; failures are the merchant server's to see. */
  notify(url: string, echoMessage: string): void;
}

/**
 * `POST /v3/security/echo` (商户签名验签/加解密测试), as the gateway serves it: the request is
 * verified like any other; `encrypted_echo_message` must decrypt with the platform key named in
 * `Wechatpay-Serial` to `echo_message` (400 PARAM_ERROR otherwise); the answer echoes
 * `echo_message`, signed. Where the catalogue is silent, the sandbox assumes: the answer's
 * `encrypted_echo_message` is `echo_message` encrypted to the merchant key, and `notify_url` gets
 * a signed notification of event type `SECURITY.ECHO_TEST` whose resource is `{ echo_message }`.
 */
export function echoRoutes(options: EchoRouteOptions): Route[] {
  return [
    {
      method: 'POST',
      path: '/v3/security/echo',
      handle: (request) => {
        const body = (request.json ?? {}) as { echo_message?: unknown; encrypted_echo_message?: unknown; notify_url?: unknown };
        if (typeof body.echo_message !== 'string' || body.echo_message === '') return paramError('echo_message is required');
        if (body.encrypted_echo_message !== undefined) {
          const plain = decryptFields(request, options, [['encrypted_echo_message', body.encrypted_echo_message]]);
          if (typeof plain === 'string') return paramError(plain);
          if (plain[0] !== body.echo_message) return paramError('encrypted_echo_message does not decrypt to echo_message');
        }
        if (typeof body.notify_url === 'string') options.notify(body.notify_url, body.echo_message);
        return { json: { echo_message: body.echo_message, encrypted_echo_message: Rsa.encrypt(body.echo_message, options.merchant.publicKey) } };
      },
    },
  ];
}
