import { randomFillSync } from 'node:crypto';
import { invalidArgument } from './crypto/arguments';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** The largest multiple of the alphabet's size below 256: bytes at or above it are redrawn, so no character is favoured. */
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);

/** Random bytes are drawn 4 KiB at a time: one `randomBytes` call per nonce costs more than the nonce itself. */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function nextRandomByte(): number {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++];
}

/**
 * A line of a signed message (a string, or a whole number for timestamps) without a line break,
 * which would shift every line after it; in the Authorization header also without `"`.
 */
function field(value: unknown, name: string, forbidden = /[\r\n]/): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value !== 'string') throw invalidArgument(name, `expected a string, got ${value === null ? 'null' : typeof value}`);
  if (forbidden.test(value)) throw invalidArgument(name, 'must not contain a line break or, in a header, a double quote');
  return value;
}

const IN_HEADER = /["\r\n]/;

function bodyOf(body: unknown, name: string): string | Buffer {
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
  throw invalidArgument(name, `expected a string or a Buffer, got ${body === null ? 'null' : typeof body}`);
}

/** Joins the lines of a signed message, each ending in `\n`; a Buffer body stays bytes. */
function joinLines(head: string, body: string | Buffer): string | Buffer {
  return typeof body === 'string' ? `${head}${body}\n` : Buffer.concat([Buffer.from(head), body, Buffer.from('\n')]);
}

/**
 * The strings WeChat Pay signs and the Authorization header that carries a signature.
 * Pure functions: they compute, never send.
 */
export const Formatter = {
  /** A random string of `length` characters from `[0-9A-Za-z]`, each equally likely. */
  nonce(length = 32): string {
    if (!Number.isSafeInteger(length) || length < 1 || length > 1024) throw invalidArgument('Formatter.nonce: length', 'expected a whole number from 1 to 1024');
    let out = '';
    while (out.length < length) {
      const byte = nextRandomByte();
      if (byte < UNBIASED_LIMIT) out += ALPHABET[byte % ALPHABET.length];
    }
    return out;
  },

  /** Unix time in whole seconds. */
  timestamp(now: number = Date.now()): number {
    if (!Number.isFinite(now)) throw invalidArgument('Formatter.timestamp: now', 'expected milliseconds since the epoch');
    return Math.floor(now / 1000);
  },

  /** `METHOD\nTARGET\nTIMESTAMP\nNONCE\nBODY\n`: what the merchant signs for an APIv3 request. */
  request(method: string, target: string, timestamp: number | string, nonce: string, body: string | Buffer = ''): string | Buffer {
    const head = [field(method, 'Formatter.request: method').toUpperCase(), field(target, 'Formatter.request: target'), field(timestamp, 'Formatter.request: timestamp'), field(nonce, 'Formatter.request: nonce')];
    return joinLines(`${head.join('\n')}\n`, bodyOf(body, 'Formatter.request: body'));
  },

  /** `TIMESTAMP\nNONCE\nBODY\n`: what the platform signs for a response or a notification. */
  response(timestamp: number | string, nonce: string, body: string | Buffer = ''): string | Buffer {
    return joinLines(`${field(timestamp, 'Formatter.response: timestamp')}\n${field(nonce, 'Formatter.response: nonce')}\n`, bodyOf(body, 'Formatter.response: body'));
  },

  /**
   * `k1=v1&k2=v2…` of APIv2 signatures: keys in byte order, `sign` and empty values left out,
   * values as they are (no URL encoding).
   */
  queryStringLike(params: Record<string, unknown>): string {
    if (params === null || typeof params !== 'object' || Array.isArray(params)) throw invalidArgument('Formatter.queryStringLike: params', 'expected a plain object');
    for (const [key, value] of Object.entries(params)) {
      if (value !== null && typeof value === 'object') throw invalidArgument(`Formatter.queryStringLike: params.${key}`, 'expected a string or number, got an object');
    }
    return Object.keys(params)
      .filter((key) => key !== 'sign' && params[key] !== undefined && params[key] !== null && params[key] !== '')
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
      .map((key) => `${key}=${String(params[key])}`)
      .join('&');
  },

  /** The `Authorization` header value of an APIv3 request. */
  authorization(mchid: string, serial: string, timestamp: number | string, nonce: string, signature: string): string {
    const [m, s, t, n, sig] = [field(mchid, 'Formatter.authorization: mchid', IN_HEADER), field(serial, 'Formatter.authorization: serial', IN_HEADER), field(timestamp, 'Formatter.authorization: timestamp', IN_HEADER), field(nonce, 'Formatter.authorization: nonce', IN_HEADER), field(signature, 'Formatter.authorization: signature', IN_HEADER)];
    return `WECHATPAY2-SHA256-RSA2048 mchid="${m}",serial_no="${s}",timestamp="${t}",nonce_str="${n}",signature="${sig}"`;
  },
};
