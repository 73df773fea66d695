import { constants, KeyObject, privateDecrypt, publicEncrypt, sign, verify } from 'node:crypto';
import { ErrorCode, OptionError, InvalidArgumentError, DecryptionFailedError } from '../errors';
import { loadPrivateKey, loadVerificationKey, type KeyInput } from '../keys';
import { base64Of, bytesOf, invalidArgument } from './arguments';

/** The padding WeChat Pay encrypts sensitive fields with. PKCS#1 v1.5 encryption is refused (Bleichenbacher). */
export type RsaPadding = 'OAEP';

/** RSA-OAEP with SHA-1 and MGF1-SHA-1 on a 2048-bit key leaves 256 − 2·20 − 2 bytes for the message. */
const OAEP_SHA1_OVERHEAD = 42;

/** The key loaders speak of options (INVALID_OPTION); here the key is an argument, coded like the others. */
function asArgument(load: () => KeyObject): KeyObject {
  try {
    return load();
  } catch (error) {
    if (error instanceof OptionError && error.code === ErrorCode.INVALID_OPTION) throw new InvalidArgumentError(error.message, { cause: error.cause });
    throw error;
  }
}

function privateKeyOf(key: KeyInput, name: string): KeyObject {
  return asArgument(() => loadPrivateKey(key, name));
}

function publicKeyOf(key: KeyInput | KeyObject, name: string): KeyObject {
  // A private KeyObject verifies and encrypts too (node derives its public half).
  if (key instanceof KeyObject && key.type === 'private') return asArgument(() => loadPrivateKey(key, name));
  return asArgument(() => loadVerificationKey(key, name).key);
}

function checkPadding(padding: unknown, name: string): void {
  if (padding === undefined || padding === 'OAEP') return;
  if (padding === 'PKCS1' || padding === constants.RSA_PKCS1_PADDING) {
    throw invalidArgument(name, 'RSA PKCS#1 v1.5 encryption is refused: it is open to padding-oracle attacks, and WeChat Pay uses RSA-OAEP');
  }
  throw invalidArgument(name, `unknown padding ${JSON.stringify(padding) ?? typeof padding}; only 'OAEP' is supported`);
}

/**
 * RSA as WeChat Pay uses it: PKCS#1 v1.5 signatures with SHA-256, and RSA-OAEP (SHA-1) for
 * sensitive fields. Keys come in any form {@link KeyInput} takes; pass a `KeyObject` (from
 * {@link Rsa.fromPrivate} / {@link Rsa.fromPublic}) on hot paths so nothing is parsed twice.
 */
export const Rsa = {
  /** Loads a private key (PKCS#1 / PKCS#8, PEM, DER or bare base64 DER, `file://`, Buffer, KeyObject) once. */
  fromPrivate(key: KeyInput): KeyObject {
    return privateKeyOf(key, 'Rsa.fromPrivate: key');
  },

  /** Loads a public key (SPKI / PKCS#1 public, an X.509 certificate, in any of those forms) once. */
  fromPublic(key: KeyInput): KeyObject {
    return publicKeyOf(key, 'Rsa.fromPublic: key');
  },

  /** The base64 SHA256withRSA signature of `message`. */
  sign(message: string | Buffer, privateKey: KeyInput): string {
    return sign('sha256', bytesOf(message, 'Rsa.sign: message'), privateKeyOf(privateKey, 'Rsa.sign: privateKey')).toString('base64');
  },

  /** Whether `signature` (base64) is the SHA256withRSA signature of `message`; malformed base64 is an error, not `false`. */
  verify(message: string | Buffer, signature: string, publicKey: KeyInput): boolean {
    const bytes = bytesOf(message, 'Rsa.verify: message');
    const signed = base64Of(signature, 'Rsa.verify: signature');
    return verify('sha256', bytes, publicKeyOf(publicKey, 'Rsa.verify: publicKey'), signed);
  },

  /** RSA-OAEP (SHA-1) encryption of a sensitive field, base64; the platform key's id must go in `Wechatpay-Serial`. */
  encrypt(plaintext: string | Buffer, publicKey: KeyInput, padding?: RsaPadding): string {
    checkPadding(padding, 'Rsa.encrypt: padding');
    const bytes = bytesOf(plaintext, 'Rsa.encrypt: plaintext');
    const key = publicKeyOf(publicKey, 'Rsa.encrypt: publicKey');
    const room = (key.asymmetricKeyDetails?.modulusLength ?? 2048) / 8 - OAEP_SHA1_OVERHEAD;
    if (bytes.length > room) throw invalidArgument('Rsa.encrypt: plaintext', `is ${bytes.length} bytes; RSA-OAEP on this key takes at most ${room}`);
    return publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, bytes).toString('base64');
  },

  /** Decrypts an RSA-OAEP (SHA-1) field encrypted to the merchant key, as UTF-8. */
  decrypt(ciphertext: string, privateKey: KeyInput, padding?: RsaPadding): string {
    checkPadding(padding, 'Rsa.decrypt: padding');
    const bytes = base64Of(ciphertext, 'Rsa.decrypt: ciphertext');
    const key = privateKeyOf(privateKey, 'Rsa.decrypt: privateKey');
    try {
      return privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, bytes).toString('utf8');
    } catch (cause) {
      throw new DecryptionFailedError('Rsa.decrypt: the ciphertext does not decrypt with this key (RSA-OAEP, SHA-1)', { cause });
    }
  },
};
