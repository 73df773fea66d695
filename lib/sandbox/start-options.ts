import { InvalidOptionError } from '../errors';
import { isTimerMs, MAX_TIMER_MS } from '../timer-ms';
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

const MODES: readonly SandboxMode[] = ['certificate', 'public-key', 'migration'];

/** A pace of the flows in ms (a delay, or one wait of `notifySchedule`): one a timer holds. */
function pace(value: unknown, name: string): number {
  if (!isTimerMs(value, 0, true)) throw new InvalidOptionError(`${name}: expected a whole number of milliseconds from 0 to ${MAX_TIMER_MS}`);
  return value;
}

/** How each option is checked, by name; each answers the option as given, or throws naming it. */
const CHECKS: { [Name in keyof Required<SandboxOptions>]: (value: unknown, name: Name) => SandboxOptions[Name] } = {
  mode(value, name) {
    if (!MODES.includes(value as SandboxMode)) throw new InvalidOptionError(`${name}: expected 'certificate', 'public-key' or 'migration'`);
    return value as SandboxMode;
  },
  port(value, name) {
    if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) > 65535) throw new InvalidOptionError(`${name}: expected a whole number from 0 to 65535 (0: a free one)`);
    return value as number;
  },
  mchid(value, name) {
    if (typeof value !== 'string' || !/^\d{1,32}$/.test(value)) throw new InvalidOptionError(`${name}: expected the merchant id as a string of digits`);
    return value;
  },
  keysDir(value, name) {
    if (typeof value !== 'string' || value === '') throw new InvalidOptionError(`${name}: expected the path of a folder`);
    return value;
  },
  tls(value, name) {
    if (typeof value !== 'boolean') throw new InvalidOptionError(`${name}: expected true or false`);
    return value;
  },
  notifySchedule(value, name) {
    if (!Array.isArray(value)) throw new InvalidOptionError(`${name}: expected an array of waits in milliseconds, one before each new attempt`);
    return value.map((wait, at) => pace(wait, `${name}[${at}]`));
  },
  refundDelayMs: pace,
  profitSharingDelayMs: pace,
  transferCancelDelayMs: pace,
};

const NAMES = Object.keys(CHECKS);

/**
 * The options of `Sandbox.start()`, checked: each it cannot honour (an unknown mode, a wait no
 * timer holds, a name it does not take) is an {@link InvalidOptionError} naming the option,
 * thrown before anything listens.
 */
export function checkStartOptions(options: unknown): SandboxOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new InvalidOptionError('options: expected an object of start options, or nothing');
  const checked: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) {
    if (!NAMES.includes(name)) throw new InvalidOptionError(`${name.slice(0, 64)}: unknown; Sandbox.start() takes ${NAMES.slice(0, -1).join(', ')} and ${NAMES[NAMES.length - 1]}`);
    if (value !== undefined) checked[name] = (CHECKS[name as keyof SandboxOptions] as (value: unknown, name: string) => unknown)(value, name);
  }
  return checked;
}
