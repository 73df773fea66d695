import { isMchid } from '../client-options';
import { InvalidOptionError } from '../errors';
import { checkFields, flag, oneOf, optional, waitMs, wholeNumber, type FieldCheck } from './argument-checks';
import type { PaymentFlowOptions } from './payment-flows';
import type { TransferFlowOptions } from './transfer-flows';

/** Which keys the sandbox gateway signs its answers with. */
export type SandboxMode =
  /** A platform certificate (the scheme before 2024). */
  | 'certificate'
  /** A WeChat Pay public key with a `PUB_KEY_ID_…` id. */
  | 'public-key'
  /**
   * Both, as during the migration: the request's `Wechatpay-Serial` picks the key that signs the
   * answer, and notifications are signed by the certificate and the public key in turn.
   */
  | 'migration';

/** How to start a sandbox (`notifySchedule`, `refundDelayMs`, `profitSharingDelayMs` and `transferCancelDelayMs` pace the payment and transfer flows). */
export interface SandboxOptions extends PaymentFlowOptions, TransferFlowOptions {
  mode?: SandboxMode;
  /** The port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** The merchant id the gateway knows. */
  mchid?: string;
  /**
   * A folder to keep the sandbox's keys and certificates in (`sandbox-<mchid>.json`, readable by
   * its owner only): the first start writes them, later starts, in any process, read them, so a
   * client configured once keeps working and no start waits for key generation. By default the
   * folder `WECHATPAY_SANDBOX_KEYS_DIR` names; without either, each process makes new keys.
   */
  keysDir?: string;
  /**
   * Serve HTTPS instead of HTTP, with a server certificate for 127.0.0.1 issued by the sandbox CA
   * (`sandbox.caCertificatePem`), and ask every client for a certificate: APIv2's
   * `/secapi/…` and `/mmpaymkttransfers/…` routes need the merchant's (mutual TLS), every other
   * route serves clients without one.
   */
  tls?: boolean;
}

/** How each option is checked, by name: what {@link SandboxOptions} declares, for callers TypeScript does not check. */
const CHECKS: Readonly<Record<keyof SandboxOptions, FieldCheck>> = {
  mode: optional(oneOf(['certificate', 'public-key', 'migration'])),
  port: optional(wholeNumber(0, 65535)),
  mchid: optional((value) => (isMchid(value) ? undefined : 'expected the merchant id as a string of digits')),
  keysDir: optional((value) => (typeof value === 'string' && value !== '' ? undefined : 'expected the path of a folder')),
  tls: optional(flag),
  notifySchedule: optional((value) => {
    if (!Array.isArray(value)) return 'expected an array of waits in milliseconds, one before each new attempt';
    const at = value.findIndex((wait) => waitMs(wait) !== undefined);
    return at < 0 ? undefined : `wait ${at}: ${waitMs(value[at]) ?? ''}`;
  }),
  refundDelayMs: optional(waitMs),
  profitSharingDelayMs: optional(waitMs),
  transferCancelDelayMs: optional(waitMs),
};

/**
 * The options of `Sandbox.start()`, checked: each it cannot honour (an unknown mode, a wait no
 * timer holds, a name it does not take) is an {@link InvalidOptionError} naming the option,
 * thrown before anything listens.
 */
export function checkStartOptions(options: unknown): SandboxOptions {
  if (options === undefined) return {};
  checkFields(options, CHECKS, { name: 'Sandbox.start(): options', expected: 'an object of start options, or nothing', takes: 'Sandbox.start() takes', Refusal: InvalidOptionError });
  return options as SandboxOptions;
}
