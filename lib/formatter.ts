import { randomFillSync } from 'node:crypto';

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
    let out = '';
    while (out.length < length) {
      const byte = nextRandomByte();
      if (byte < UNBIASED_LIMIT) out += ALPHABET[byte % ALPHABET.length];
    }
    return out;
  },

  /** Unix time in whole seconds. */
  timestamp(now: number = Date.now()): number {
    return Math.floor(now / 1000);
  },

  /** `METHOD\nTARGET\nTIMESTAMP\nNONCE\nBODY\n`: what the merchant signs for an APIv3 request. */
  request(method: string, target: string, timestamp: number | string, nonce: string, body: string | Buffer = ''): string | Buffer {
    return joinLines(`${method.toUpperCase()}\n${target}\n${timestamp}\n${nonce}\n`, body);
  },

  /** `TIMESTAMP\nNONCE\nBODY\n`: what the platform signs for a response or a notification. */
  response(timestamp: number | string, nonce: string, body: string | Buffer = ''): string | Buffer {
    return joinLines(`${timestamp}\n${nonce}\n`, body);
  },

  /**
   * `k1=v1&k2=v2…` of APIv2 signatures: keys in byte order, `sign` and empty values left out,
   * values as they are (no URL encoding).
   */
  queryStringLike(params: Record<string, unknown>): string {
    return Object.keys(params)
      .filter((key) => key !== 'sign' && params[key] !== undefined && params[key] !== null && params[key] !== '')
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
      .map((key) => `${key}=${String(params[key])}`)
      .join('&');
  },

  /** The `Authorization` header value of an APIv3 request. */
  authorization(mchid: string, serial: string, timestamp: number | string, nonce: string, signature: string): string {
    return `WECHATPAY2-SHA256-RSA2048 mchid="${mchid}",serial_no="${serial}",timestamp="${timestamp}",nonce_str="${nonce}",signature="${signature}"`;
  },
};
