import { createCipheriv, createDecipheriv } from 'node:crypto';
import { DecryptionFailedError } from '../errors';
import { base64Of, bytesOf, invalidArgument } from './arguments';

const KEY_BYTES = 32;
const TAG_BYTES = 16;

function keyOf(key: unknown, name: string): Buffer {
  const bytes = bytesOf(key, name);
  if (bytes.length !== KEY_BYTES) throw invalidArgument(name, `must be ${KEY_BYTES} bytes (the APIv3 key), got ${bytes.length}`);
  return bytes;
}

/**
 * AEAD_AES_256_GCM as WeChat Pay uses it for notifications, certificates and the APIv3 key:
 * the ciphertext is base64 of data ‖ 16-byte tag. Arguments in the PHP SDK's order.
 */
export const AesGcm = {
  /** Encrypts `plaintext` under the 32-byte `key`, `nonce` and associated data `aad`, returning base64(data ‖ tag). */
  encrypt(plaintext: string | Buffer, key: string | Buffer, nonce: string | Buffer, aad: string | Buffer = ''): string {
    const iv = bytesOf(nonce, 'AesGcm.encrypt: nonce', { allowEmpty: false });
    const cipher = createCipheriv('aes-256-gcm', keyOf(key, 'AesGcm.encrypt: key'), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(bytesOf(aad, 'AesGcm.encrypt: aad'));
    const data = Buffer.concat([cipher.update(bytesOf(plaintext, 'AesGcm.encrypt: plaintext')), cipher.final()]);
    return Buffer.concat([data, cipher.getAuthTag()]).toString('base64');
  },

  /** Decrypts base64(data ‖ tag) to UTF-8; a wrong key, nonce or aad, or an altered or truncated ciphertext, throws. */
  decrypt(ciphertext: string, key: string | Buffer, nonce: string | Buffer, aad: string | Buffer = ''): string {
    const bytes = base64Of(ciphertext, 'AesGcm.decrypt: ciphertext');
    if (bytes.length < TAG_BYTES) throw invalidArgument('AesGcm.decrypt: ciphertext', `is ${bytes.length} bytes, shorter than the ${TAG_BYTES}-byte tag`);
    const iv = bytesOf(nonce, 'AesGcm.decrypt: nonce', { allowEmpty: false });
    const decipher = createDecipheriv('aes-256-gcm', keyOf(key, 'AesGcm.decrypt: key'), iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(bytesOf(aad, 'AesGcm.decrypt: aad'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new DecryptionFailedError('AesGcm.decrypt: authentication failed (wrong key, nonce or associated data, or altered ciphertext)', { cause });
    }
  },
};
