import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { bytesOf } from './arguments';

/** Digests as lower-case hex, and a comparison that takes the same time however the inputs differ. */
export const Hash = {
  /** MD5, lower-case hex (APIv2 signatures upper-case it). */
  md5(data: string | Buffer): string {
    return createHash('md5').update(bytesOf(data, 'Hash.md5: data')).digest('hex');
  },

  /** SHA-1, lower-case hex (bill downloads and `Wechatpay-Statement-Sha1`). */
  sha1(data: string | Buffer): string {
    return createHash('sha1').update(bytesOf(data, 'Hash.sha1: data')).digest('hex');
  },

  /** SHA-256, lower-case hex (media upload `meta`). */
  sha256(data: string | Buffer): string {
    return createHash('sha256').update(bytesOf(data, 'Hash.sha256: data')).digest('hex');
  },

  /** HMAC-SHA256 under `key`, lower-case hex (APIv2 `HMAC-SHA256` signatures upper-case it). */
  hmacSha256(data: string | Buffer, key: string | Buffer): string {
    return createHmac('sha256', bytesOf(key, 'Hash.hmacSha256: key', { allowEmpty: false })).update(bytesOf(data, 'Hash.hmacSha256: data')).digest('hex');
  },

  /**
   * Whether `a` equals `b`, in time that does not depend on where they differ. Both are hashed
   * first, so inputs of different lengths compare in constant time too.
   */
  equals(a: string | Buffer, b: string | Buffer): boolean {
    const left = createHash('sha256').update(bytesOf(a, 'Hash.equals: a')).digest();
    const right = createHash('sha256').update(bytesOf(b, 'Hash.equals: b')).digest();
    return timingSafeEqual(left, right);
  },
};
