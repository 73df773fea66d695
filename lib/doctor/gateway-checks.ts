import { randomBytes } from 'node:crypto';
import type { AxiosResponse } from 'axios';
import { ApiError, DecryptionError, ErrorCode, NetworkError, VerificationError, WechatpayError } from '../errors';
import type { WechatpayOptions } from '../client-options';
import { responseHeader } from '../response-body';
import { Wechatpay } from '../wechatpay';
import { fail, pass, reason, type CheckResult } from './check';

/** Beyond this the clock is reported: the gateway refuses requests more than 300 s off, and answers are checked to the same window. */
export const CLOCK_TOLERANCE_SECONDS = 60;

/** What to do about an APIv3 key that does not decrypt what the gateway encrypted under it. */
const APIV3_KEY_FIX = 'the APIv3 key is mistyped or another merchant’s: set it again in 商户平台 → API安全';

/** What the gateway checks need besides the client options. */
export interface GatewayInputs {
  /** Also ask the gateway to send its test notification here. */
  notifyUrl?: string;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

function clockCheck(response: AxiosResponse | undefined, now: () => number): CheckResult[] {
  const date = response && responseHeader(response, 'date');
  const at = date === undefined ? Number.NaN : Date.parse(date);
  if (Number.isNaN(at)) return [];
  const skew = Math.round((now() - at) / 1000);
  return [
    Math.abs(skew) <= CLOCK_TOLERANCE_SECONDS
      ? pass('clock', `the local clock is within ${Math.max(1, Math.abs(skew))} s of the gateway’s`)
      : fail('clock', `the local clock is ${Math.abs(skew)} s ${skew > 0 ? 'ahead of' : 'behind'} the gateway’s`, 'synchronise the clock (NTP); the gateway refuses requests more than 300 s off'),
  ];
}

/** What a failed echo says about the setup. */
function echoFailure(error: unknown): CheckResult {
  if (error instanceof ApiError && error.apiCode === 'SIGN_ERROR') {
    return fail('gateway-echo', 'the gateway refused the request’s signature (401 SIGN_ERROR)', 'the private key is not the one of the merchant certificate with this serial, or the serial or mchid is another’s: give the merchant certificate to check them', 'merchantCertificate');
  }
  if (error instanceof ApiError) return fail('gateway-echo', `the gateway answered: ${error.message}`, 'see the message; a PARAM_ERROR on encrypted_echo_message means it did not decrypt with the platform key named');
  if (error instanceof VerificationError && error.code === ErrorCode.CLOCK_SKEW) return fail('gateway-echo', error.message, 'synchronise the clock (NTP)');
  if (error instanceof VerificationError) return fail('gateway-echo', `the answer did not verify: ${error.message}`, 'the platform keys must include the certificate or WeChat Pay public key the gateway signs with (or give the APIv3 key, and the client downloads the certificates)', 'certs');
  if (error instanceof DecryptionError) return fail('gateway-echo', `the platform certificates did not decrypt: ${error.message}`, APIV3_KEY_FIX, 'apiv3Key');
  if (error instanceof NetworkError) return fail('gateway-echo', error.message, 'check the network path to the gateway (proxy, firewall, DNS)');
  return fail('gateway-echo', reason(error), 'see the message');
}

/** Downloads the platform certificates with a client that holds none, so they must decrypt with the APIv3 key. */
async function certificateCheck(options: WechatpayOptions): Promise<CheckResult> {
  try {
    await new Wechatpay({ ...options, certs: undefined }).v3.certificates.get();
    return pass('platform-certificates', 'the platform certificates were downloaded and decrypted with the APIv3 key');
  } catch (error) {
    if (error instanceof DecryptionError) return fail('platform-certificates', 'the platform certificates did not decrypt with the APIv3 key', APIV3_KEY_FIX, 'apiv3Key');
    if (error instanceof WechatpayError && error.code === ErrorCode.NO_CERTIFICATES) return pass('platform-certificates', 'this merchant has no platform certificates (it verifies with the WeChat Pay public key)');
    return fail('platform-certificates', `the platform certificates could not be downloaded: ${reason(error)}`, 'see the message');
  }
}

/**
 * The checks that ask the gateway: `POST v3/security/echo` (商户签名验签/加解密测试), signed,
 * with `encrypted_echo_message` encrypted to the platform key; its answer must verify and give
 * the same `echo_message` back. The answer's `Date` tells the clock skew. A client with an APIv3
 * key downloads (and so decrypts) the platform certificates first.
 */
export async function gatewayChecks(options: WechatpayOptions, inputs: GatewayInputs = {}): Promise<CheckResult[]> {
  const now = inputs.now ?? Date.now;
  let wxpay: Wechatpay;
  try {
    wxpay = new Wechatpay(options);
  } catch (error) {
    return [fail('gateway-echo', `no call was made: ${reason(error)}`, 'fix the local checks first')];
  }
  const echo = `wechatpay-doctor-${randomBytes(6).toString('hex')}`;
  const json = { echo_message: echo, encrypted_echo_message: echo, ...(inputs.notifyUrl === undefined ? {} : { notify_url: inputs.notifyUrl }) };
  let response: AxiosResponse;
  try {
    response = await wxpay.v3.security.echo.post({ json, encrypt: ['encrypted_echo_message'] });
  } catch (error) {
    const answered = error instanceof ApiError ? error.response : undefined;
    return [...clockCheck(answered, now), echoFailure(error)];
  }
  const data = response.data as { echo_message?: unknown };
  const results = [...clockCheck(response, now)];
  results.push(
    data.echo_message === echo
      ? pass('gateway-echo', 'the gateway verified our signature and decrypted encrypted_echo_message; its answer verified and echoed the message')
      : fail('gateway-echo', 'the answer verified but did not echo the message sent', 'a proxy may be rewriting requests or answers'),
  );
  if (options.apiv3Key !== undefined) results.push(await certificateCheck(options));
  if (inputs.notifyUrl !== undefined) results.push(pass('notify-url', `the gateway was asked to send its test notification to ${inputs.notifyUrl}`));
  return results;
}
