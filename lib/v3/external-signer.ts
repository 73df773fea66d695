import { InvalidOptionError, SignerFailedError } from '../errors';

/**
 * A signer for keys held elsewhere (a KMS, an HSM, a signing service): given the exact bytes to
 * sign, it returns, or resolves to, their base64 RSA-SHA256 (SHA256withRSA, PKCS#1 v1.5)
 * signature under the merchant API private key.
 */
export type MessageSigner = (message: Buffer) => string | Promise<string>;

/** An RSA signature is as long as the modulus: 2048, 3072 or 4096 bits. */
const SIGNATURE_BYTES: ReadonlySet<number> = new Set([256, 384, 512]);
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The `signer` option, checked to be a function. */
export function checkSigner(value: unknown): MessageSigner {
  if (typeof value !== 'function') throw new InvalidOptionError('signer: expected a function (message: Buffer) => base64 signature, or a promise of one');
  return value as MessageSigner;
}

/**
 * Signs `message` with `signer` and checks what it answered. A signer that throws, rejects or
 * answers anything but a base64 RSA signature fails with {@link SignerFailedError}; its own error
 * (which may say more than a message should) is kept as the cause.
 */
export async function signExternally(signer: MessageSigner, message: Buffer): Promise<string> {
  let signature: unknown;
  try {
    signature = await signer(message);
  } catch (cause) {
    throw new SignerFailedError('signer: threw or rejected; the request was not sent (its error is the cause)', { cause });
  }
  if (typeof signature !== 'string' || !BASE64.test(signature) || !SIGNATURE_BYTES.has(Buffer.from(signature, 'base64').length)) {
    throw new SignerFailedError(`signer: expected the base64 RSA-SHA256 signature of 256, 384 or 512 bytes, got ${typeof signature === 'string' ? `a ${signature.length}-character string that is not one` : typeof signature}; the request was not sent`);
  }
  return signature;
}
