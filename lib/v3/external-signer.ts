import { InvalidOptionError, SignerFailedError } from '../errors';

/**
 * A signer for keys held elsewhere (a KMS, an HSM, a signing service): given the exact bytes to
 * sign, it returns, or resolves to, their base64 RSA-SHA256 (SHA256withRSA, PKCS#1 v1.5)
 * signature under the merchant API private key.
 */
export type MessageSigner = (message: Buffer) => string | Promise<string>;

/** The scheme is `WECHATPAY2-SHA256-RSA2048`: a signature is as long as a 2048-bit modulus. */
const SIGNATURE_BYTES = 256;

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
  // Canonical base64 only: what decodes and encodes back to itself, padding included.
  const bytes = typeof signature === 'string' ? Buffer.from(signature, 'base64') : undefined;
  if (typeof signature !== 'string' || bytes?.length !== SIGNATURE_BYTES || bytes.toString('base64') !== signature) {
    throw new SignerFailedError(`signer: expected the base64 RSA-SHA256 signature of ${SIGNATURE_BYTES} bytes (RSA-2048), got ${typeof signature === 'string' ? `a ${signature.length}-character string that is not one` : typeof signature}; the request was not sent`);
  }
  return signature;
}
