import { createCipheriv, createDecipheriv } from 'node:crypto';
import { DecryptionFailedError } from '../errors';
import { base64Of, bytesOf, invalidArgument } from './arguments';

function keyOf(key: unknown, name: string): Buffer {
  const bytes = bytesOf(key, name);
  if (bytes.length !== 32) throw invalidArgument(name, `must be 32 bytes, got ${bytes.length}`);
  return bytes;
}

/**
 * AES-256-ECB with PKCS#7 padding, the scheme of APIv2 refund notifications' `req_info` (the key
 * is the lower-case hex MD5 of the APIv2 secret: `Hash.md5(secret)`). Use it only for that.
 */
export const AesEcb = {
  /** Encrypts to base64. */
  encrypt(plaintext: string | Buffer, key: string | Buffer): string {
    const cipher = createCipheriv('aes-256-ecb', keyOf(key, 'AesEcb.encrypt: key'), null);
    return Buffer.concat([cipher.update(bytesOf(plaintext, 'AesEcb.encrypt: plaintext')), cipher.final()]).toString('base64');
  },

  /** Decrypts base64 to UTF-8; a wrong key or broken padding throws. */
  decrypt(ciphertext: string, key: string | Buffer): string {
    const bytes = base64Of(ciphertext, 'AesEcb.decrypt: ciphertext');
    if (bytes.length % 16 !== 0) throw invalidArgument('AesEcb.decrypt: ciphertext', `is ${bytes.length} bytes, not a whole number of 16-byte blocks`);
    const decipher = createDecipheriv('aes-256-ecb', keyOf(key, 'AesEcb.decrypt: key'), null);
    try {
      return Buffer.concat([decipher.update(bytes), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new DecryptionFailedError('AesEcb.decrypt: the ciphertext does not decrypt with this key (bad padding)', { cause });
    }
  },
};
