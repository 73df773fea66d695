import { settle, type Callback } from '../chain';
import { DecryptionError, ErrorCode, InvalidOptionError, MalformedBodyError, OptionError, UnknownMerchantError, verificationError, WechatpayError } from '../errors';
import { AesGcm } from '../crypto/aes-gcm';
import { bytesOf, invalidArgument } from '../crypto/arguments';
import { Formatter } from '../formatter';
import type { KeyInput } from '../keys';
import { loadPlatformKeys } from '../platform-keys';
import { listed } from '../listed';
import { unknownKey } from '../plain-object';
import type { Wechatpay } from '../wechatpay';
import { borrowKeys, type MerchantKeys } from './client-keys';
import type { NotificationEvent } from './notification-events';
import { checkPlatformSignature, curedByDownload } from './platform-signature';

/** Limits every form of {@link NotificationOptions} takes. */
export interface NotificationLimits {
  /** Bodies larger than this are refused before any work; 1 MiB unless given. */
  maxBodyBytes?: number;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

/** Keys given directly: the platform keys and the APIv3 key of one merchant. */
export interface CertsSource {
  /** The same `certs` the client takes: platform certificate serial or `PUB_KEY_ID_…` to its key. */
  certs: Record<string, KeyInput>;
  /** The 32-byte APIv3 key (APIv3密钥) that `resource` is encrypted under. */
  apiv3Key: string | Buffer;
}

/** One merchant's client: its platform keys, downloaded ones included, and its APIv3 key. */
export interface ClientSource {
  /** The merchant's client; the verifier checks with the keys it holds and refreshes through it. */
  client: Wechatpay;
  /** The APIv3 key, when the client was built without one (it then does not download certificates). */
  apiv3Key?: string | Buffer;
}

/** Many merchants' clients, for notifications of all of them arriving at one URL. */
export interface ClientsSource {
  /** Each merchant's client, with its APIv3 key: the notification's `mchid` says whose keys accepted it. */
  clients: readonly Wechatpay[];
}

/**
 * Where a notification verifier finds its keys: given directly (`certs`, `apiv3Key`), taken from
 * one client (`client`), or from many (`clients`).
 */
export type NotificationOptions = NotificationLimits & (CertsSource | ClientSource | ClientsSource);

/** Headers as web frameworks hand them: node's `IncomingHttpHeaders`, a plain object, or a Fetch `Headers`. */
export type NotificationHeaders = Record<string, string | string[] | undefined> | { get(name: string): string | null };

/** What a web framework gives a notification handler: the headers and the raw body, untouched. */
export interface NotificationRequest {
  headers: NotificationHeaders;
  /** The body exactly as received: parsing and re-serializing it would break the signature. */
  body: string | Buffer;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Envelope fields a handler relies on (deduplication goes by `id`), checked to be strings. */
const ENVELOPE_FIELDS = ['id', 'create_time', 'event_type', 'resource_type'] as const;

function headerReader(headers: NotificationHeaders): (name: string) => string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    const fetchHeaders = headers as { get(name: string): string | null };
    return (name) => fetchHeaders.get(name) || undefined;
  }
  const lower = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const text: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
    if (typeof text === 'string' && text !== '') lower.set(name.toLowerCase(), text);
  }
  return (name) => lower.get(name);
}

function malformed(message: string, cause?: unknown): MalformedBodyError {
  return new MalformedBodyError(`notification: ${message}`, { cause });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw malformed(`${what} is not JSON`, cause);
  }
}

/** Codes that say the keys of one merchant do not fit; any other failure is the same for every merchant. */
const KEY_CODES: ReadonlySet<string> = new Set([ErrorCode.UNKNOWN_SERIAL, ErrorCode.BAD_SIGNATURE, ErrorCode.CERTIFICATE_EXPIRED]);

/** Every name {@link NotificationOptions} takes, in any of its forms. */
const VERIFIER_OPTIONS = ['certs', 'apiv3Key', 'client', 'clients', 'maxBodyBytes', 'now'];

function invalidOption(name: string, why: string): InvalidOptionError {
  return new InvalidOptionError(`NotificationVerifier: ${name}: ${why}`);
}

function apiv3KeyOf(value: unknown, name: string): Buffer {
  if (!(typeof value === 'string' || Buffer.isBuffer(value)) || Buffer.byteLength(value) !== 32) throw invalidOption(name, 'expected the 32-byte APIv3 key as a string or Buffer');
  return Buffer.from(value);
}

function clientKeys(client: unknown, name: string, apiv3Key?: unknown): MerchantKeys {
  const keys = borrowKeys(client);
  if (!keys) throw invalidOption(name, 'expected a Wechatpay client with APIv3 options (serial, privateKey, and certs or apiv3Key)');
  if (apiv3Key !== undefined) return { ...keys, apiv3Key: apiv3KeyOf(apiv3Key, 'apiv3Key') };
  if (!keys.apiv3Key) throw invalidOption(name, `the client of mchid ${keys.mchid} has no apiv3Key: give it to the client, or to the verifier as apiv3Key`);
  return keys;
}

/** The merchants a verifier serves, from whichever form the options take. */
function merchantsOf(options: Record<string, unknown>): MerchantKeys[] {
  const forms = ['certs', 'client', 'clients'].filter((name) => options[name] !== undefined);
  if (forms.length !== 1) throw invalidOption('options', `expected exactly one of certs, client or clients, got ${forms.length === 0 ? 'none' : forms.join(' and ')}`);
  if (options.certs !== undefined) return [{ keyring: loadPlatformKeys(options.certs, undefined, 'NotificationVerifier: certs'), apiv3Key: apiv3KeyOf(options.apiv3Key, 'apiv3Key') }];
  if (options.client !== undefined) return [clientKeys(options.client, 'client', options.apiv3Key)];
  if (options.apiv3Key !== undefined) throw invalidOption('apiv3Key', 'give each client its own apiv3Key when the verifier serves several');
  const { clients } = options;
  if (!Array.isArray(clients) || clients.length === 0) throw invalidOption('clients', 'expected a non-empty array of Wechatpay clients');
  return clients.map((client, i) => clientKeys(client, `clients[${i}]`));
}

/** What one merchant's keys made of a notification's signature: accepted, or the error that refused it. */
interface SignatureOutcome {
  merchant: MerchantKeys;
  error?: WechatpayError;
}

/**
 * Verifies and decrypts the notifications (callbacks) WeChat Pay POSTs to the merchant: the
 * platform's signature over the raw body (same rules as responses: headers, 300 s window, known
 * serial, probe), then `resource` decrypted with the APIv3 key. One verifier serves every request.
 *
 * Its keys come from `certs` and `apiv3Key`, or from the merchant's client (`client`): then it
 * checks with every key the client holds, downloaded ones included, and a notification signed by
 * a certificate the client does not know yet starts the client's certificate refresh (at most
 * one new download per few seconds) before it is checked again, so a rotation is learnt at once.
 * With `clients`, it serves many merchants at one URL and tells them apart: the merchant whose
 * platform keys verify the notification and whose APIv3 key decrypts it; `event.mchid` names it.
 *
 * @example
 * ```ts
 * const notifications = new NotificationVerifier({ client: wxpay });
 * const event = await notifications.verify({ headers: req.headers, body: rawBody });
 * if (event.event_type === 'TRANSACTION.SUCCESS' && 'out_trade_no' in event.resource) markPaid(event.resource.out_trade_no);
 * ```
 */
export class NotificationVerifier {
  readonly #merchants: readonly MerchantKeys[];
  readonly #maxBodyBytes: number;
  readonly #now: () => number;

  /** Checks the options and loads the keys once; a missing or unusable option throws an {@link InvalidOptionError} naming it. */
  constructor(options: NotificationOptions) {
    if (!isObject(options)) throw invalidOption('options', 'expected { certs, apiv3Key }, { client } or { clients }');
    // A misspelt limit would otherwise leave the default in force.
    const unknown = unknownKey(options, VERIFIER_OPTIONS);
    if (unknown !== undefined) throw invalidOption(unknown, `unknown; the options are ${listed(VERIFIER_OPTIONS)}`);
    this.#merchants = merchantsOf(options);
    const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    if (!Number.isSafeInteger(max) || max < 1) throw invalidOption('maxBodyBytes', 'expected a positive whole number of bytes');
    this.#maxBodyBytes = max;
    if (options.now !== undefined && typeof options.now !== 'function') throw invalidOption('now', 'expected a function returning milliseconds');
    this.#now = options.now ?? Date.now;
  }

  /** The largest body {@link verify} accepts, in bytes: framework adapters stop reading past it. */
  get maxBodyBytes(): number {
    return this.#maxBodyBytes;
  }

  /**
   * Verifies one notification and resolves to it with its resource decrypted and typed by
   * `event_type`; rejects with a typed error otherwise (never with an unverified notification).
   * It may wait for a certificate download, so it always answers asynchronously: as a promise,
   * or through `callback`, called once.
   */
  verify(request: NotificationRequest): Promise<NotificationEvent>;
  verify(request: NotificationRequest, callback: Callback<NotificationEvent>): void;
  verify(request: NotificationRequest, callback?: Callback<NotificationEvent>): Promise<NotificationEvent> | void {
    if (callback !== undefined && typeof callback !== 'function') throw invalidArgument('NotificationVerifier.verify: callback', 'expected a function (error, event) => void');
    const verified = this.#verify(request);
    if (!callback) return verified;
    settle(verified, callback);
  }

  async #verify(request: NotificationRequest): Promise<NotificationEvent> {
    if (!isObject(request)) throw invalidArgument('NotificationVerifier.verify: request', 'expected { headers, body }');
    if (!isObject(request.headers) && typeof (request.headers as { get?: unknown } | undefined)?.get !== 'function') {
      throw invalidArgument('NotificationVerifier.verify: request.headers', 'expected the request headers object');
    }
    const body = bytesOf(request.body, 'NotificationVerifier.verify: request.body', { allowEmpty: false });
    if (body.length > this.#maxBodyBytes) throw invalidArgument('NotificationVerifier.verify: request.body', `is ${body.length} bytes, over maxBodyBytes ${this.#maxBodyBytes}`);
    const outcomes = await this.#checkSignature(headerReader(request.headers), body);
    const signedBy = outcomes.filter((outcome) => !outcome.error);
    const event = signedBy.length > 0 ? parseEnvelope(body) : undefined;
    for (const outcome of signedBy) {
      try {
        const resource = decryptResource(event!.resource, outcome.merchant.apiv3Key!);
        return { ...event!, resource, ...(outcome.merchant.mchid !== undefined ? { mchid: outcome.merchant.mchid } : {}) } as NotificationEvent;
      } catch (error) {
        if (!(error instanceof DecryptionError)) throw error;
        outcome.error = error;
      }
    }
    if (outcomes.length === 1) throw outcomes[0].error!;
    const reasons = outcomes.map(({ merchant, error }) => `mchid ${merchant.mchid}: ${error!.code}`).join('; ');
    // The cause holds each merchant's error, in the order of `clients`: a DECRYPTION_FAILED among
    // them says a merchant's platform keys verified the notification but its APIv3 key is wrong.
    const cause = new AggregateError(outcomes.map(({ error }) => error), 'the reason of each merchant');
    throw new UnknownMerchantError(`notification: no merchant's keys accept it (${reasons})`, { cause });
  }

  /**
   * Checks the signature with each merchant's platform keys. A failure that does not depend on
   * the keys (headers, clock, probe) refuses the notification outright. When no merchant's keys
   * verify it, those that do not know its key refresh their certificates (through their client)
   * and check again; a download that failed then fails the notification with its own error.
   */
  async #checkSignature(header: (name: string) => string | undefined, body: Buffer): Promise<SignatureOutcome[]> {
    const nowSeconds = () => Formatter.timestamp(this.#now());
    const check = (merchant: MerchantKeys): SignatureOutcome => {
      try {
        checkPlatformSignature(header, body, {
          keys: merchant.keyring.keys,
          validity: (id) => merchant.keyring.validity(id),
          nowSeconds: nowSeconds(),
          fail: (message, code) => verificationError(code, `notification: ${message}`),
        });
        return { merchant };
      } catch (error) {
        if (!(error instanceof WechatpayError) || !KEY_CODES.has(error.code)) throw error;
        return { merchant, error };
      }
    };
    const outcomes = this.#merchants.map(check);
    if (outcomes.some((outcome) => !outcome.error)) return outcomes;
    const serial = header('wechatpay-serial');
    const stale = outcomes.filter((outcome) => outcome.merchant.refresh && curedByDownload(outcome.error, serial));
    if (stale.length === 0) return outcomes;
    const refreshed = await Promise.allSettled(stale.map((outcome) => outcome.merchant.refresh!()));
    const again = outcomes.map((outcome) => (stale.includes(outcome) ? check(outcome.merchant) : outcome));
    const failed = refreshed.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed && again.every((outcome) => outcome.error)) throw failed.reason;
    return again;
  }
}

/** The envelope of a signed body, its fields checked (the resource still encrypted). */
function parseEnvelope(body: Buffer): Record<string, unknown> & { resource: Record<string, unknown> } {
  const event = parseJson(body.toString('utf8'), 'the body');
  if (!isObject(event) || !isObject(event.resource)) throw malformed('the body has no resource object');
  for (const name of ENVELOPE_FIELDS) {
    if (typeof event[name] !== 'string' || event[name] === '') throw malformed(`the body's ${name} is missing or not a string`);
  }
  const { algorithm, ciphertext, nonce, associated_data: aad } = event.resource;
  if (algorithm !== 'AEAD_AES_256_GCM') throw malformed(`resource.algorithm ${JSON.stringify(algorithm)?.slice(0, 40)} is not AEAD_AES_256_GCM`);
  if (typeof ciphertext !== 'string' || typeof nonce !== 'string' || nonce === '' || (aad !== undefined && typeof aad !== 'string')) {
    throw malformed('resource needs string ciphertext, nonce and associated_data');
  }
  return event as Record<string, unknown> & { resource: Record<string, unknown> };
}

/** The resource decrypted under `apiv3Key` and parsed; a {@link DecryptionError} when that key is not the one. */
function decryptResource(resource: Record<string, unknown>, apiv3Key: Buffer): unknown {
  const { ciphertext, nonce, associated_data: aad } = resource as { ciphertext: string; nonce: string; associated_data?: string };
  let plaintext: string;
  try {
    plaintext = AesGcm.decrypt(ciphertext, apiv3Key, nonce, aad ?? '');
  } catch (error) {
    // A signed body whose ciphertext is not even base64 is the sender's fault, not the caller's.
    if (error instanceof OptionError) throw malformed(`resource.ciphertext is unusable (${error.message})`, error);
    throw error;
  }
  return parseJson(plaintext, 'the decrypted resource');
}
