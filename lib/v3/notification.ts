import { OptionError, InvalidOptionError, MalformedBodyError, verificationError } from '../errors';
import { AesGcm } from '../crypto/aes-gcm';
import { bytesOf, invalidArgument } from '../crypto/arguments';
import { Formatter } from '../formatter';
import type { KeyInput } from '../keys';
import { loadPlatformKeys, type PlatformKeyring } from '../platform-keys';
import { checkPlatformSignature } from './platform-signature';

/** What a notification verifier needs: the platform keys and the APIv3 key. */
export interface NotificationOptions {
  /** The same `certs` the client takes: platform certificate serial or `PUB_KEY_ID_…` to its key. */
  certs: Record<string, KeyInput>;
  /** The 32-byte APIv3 key (APIv3密钥) that `resource` is encrypted under. */
  apiv3Key: string | Buffer;
  /** Bodies larger than this are refused before any work; 1 MiB unless given. */
  maxBodyBytes?: number;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

/** Headers as web frameworks hand them: node's `IncomingHttpHeaders`, a plain object, or a Fetch `Headers`. */
export type NotificationHeaders = Record<string, string | string[] | undefined> | { get(name: string): string | null };

/** What a web framework gives a notification handler: the headers and the raw body, untouched. */
export interface NotificationRequest {
  headers: NotificationHeaders;
  /** The body exactly as received: parsing and re-serializing it would break the signature. */
  body: string | Buffer;
}

/** A verified notification: the envelope with `resource` decrypted and parsed. */
export interface Notification<Resource = unknown> {
  id: string;
  create_time: string;
  event_type: string;
  resource_type: string;
  summary?: string;
  /** The decrypted resource (for `TRANSACTION.SUCCESS`, the transaction). */
  resource: Resource;
  /** The envelope's own fields besides those above, as sent. */
  [field: string]: unknown;
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

/**
 * Verifies and decrypts the notifications (callbacks) WeChat Pay POSTs to the merchant: the
 * platform's signature over the raw body (same rules as responses: headers, 300 s window, known
 * serial, probe), then `resource` decrypted with the APIv3 key. Keys are loaded once; one
 * verifier serves every request. Every failure is a typed error; nothing unverified is returned.
 *
 * @example
 * ```ts
 * const notifications = new NotificationVerifier({ certs, apiv3Key });
 * http.createServer((req, res) => {
 *   const chunks: Buffer[] = [];
 *   req.on('data', (c) => chunks.push(c)).on('end', () => {
 *     try {
 *       const event = notifications.verify({ headers: req.headers, body: Buffer.concat(chunks) });
 *       // …handle event.resource, then:
 *       res.writeHead(204).end();
 *     } catch (err) {
 *       res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ code: 'FAIL', message: 'rejected' }));
 *     }
 *   });
 * });
 * ```
 */
export class NotificationVerifier {
  readonly #platform: PlatformKeyring;
  readonly #apiv3Key: Buffer;
  readonly #maxBodyBytes: number;
  readonly #now: () => number;

  constructor(options: NotificationOptions) {
    const invalid = (name: string, why: string) => new InvalidOptionError(`NotificationVerifier: ${name}: ${why}`);
    if (!isObject(options)) throw invalid('options', 'expected { certs, apiv3Key }');
    this.#platform = loadPlatformKeys(options.certs, undefined, 'NotificationVerifier: certs');
    const key = options.apiv3Key;
    if (!(typeof key === 'string' || Buffer.isBuffer(key)) || Buffer.byteLength(key) !== 32) throw invalid('apiv3Key', 'expected the 32-byte APIv3 key as a string or Buffer');
    this.#apiv3Key = Buffer.from(key);
    const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    if (!Number.isSafeInteger(max) || max < 1) throw invalid('maxBodyBytes', 'expected a positive whole number of bytes');
    this.#maxBodyBytes = max;
    if (options.now !== undefined && typeof options.now !== 'function') throw invalid('now', 'expected a function returning milliseconds');
    this.#now = options.now ?? Date.now;
  }

  /** Verifies one notification and returns it with its resource decrypted; throws a typed error otherwise. */
  verify<Resource = unknown>(request: NotificationRequest): Notification<Resource> {
    if (!isObject(request)) throw invalidArgument('NotificationVerifier.verify: request', 'expected { headers, body }');
    if (!isObject(request.headers) && typeof (request.headers as { get?: unknown } | undefined)?.get !== 'function') {
      throw invalidArgument('NotificationVerifier.verify: request.headers', 'expected the request headers object');
    }
    const body = bytesOf(request.body, 'NotificationVerifier.verify: request.body', { allowEmpty: false });
    if (body.length > this.#maxBodyBytes) throw invalidArgument('NotificationVerifier.verify: request.body', `is ${body.length} bytes, over maxBodyBytes ${this.#maxBodyBytes}`);
    checkPlatformSignature(headerReader(request.headers), body, {
      keys: this.#platform.keys,
      validity: (id) => this.#platform.validity(id),
      nowSeconds: Formatter.timestamp(this.#now()),
      fail: (message, code) => verificationError(code, `notification: ${message}`),
    });
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
    let plaintext: string;
    try {
      plaintext = AesGcm.decrypt(ciphertext, this.#apiv3Key, nonce, aad ?? '');
    } catch (error) {
      // A signed body whose ciphertext is not even base64 is the sender's fault, not the caller's.
      if (error instanceof OptionError) throw malformed(`resource.ciphertext is unusable (${error.message})`, error);
      throw error;
    }
    return { ...event, resource: parseJson(plaintext, 'the decrypted resource') } as Notification<Resource>;
  }
}
