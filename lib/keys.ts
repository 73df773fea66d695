import { createPrivateKey, createPublicKey, KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ErrorCode, OptionError } from './errors';

/** A key as users hold it: PEM text, DER or PEM bytes, a `file://` URL to either, or a `KeyObject`. */
export type KeyInput = string | Buffer | KeyObject;

/** A platform verification key, with what its source tells about it. */
export interface VerificationKey {
  /** The public key that checks signatures. */
  key: KeyObject;
  /** When the certificate starts being valid; undefined for a bare public key. */
  validFrom?: Date;
  /** The certificate's own serial (upper-case hex); undefined for a bare public key. */
  certificateSerial?: string;
}

const PEM = /-----BEGIN [A-Z0-9 ]+-----/;

function invalid(option: string, why: string, cause?: unknown): OptionError {
  return new OptionError(`${option}: ${why}`, ErrorCode.INVALID_OPTION, { cause });
}

/** Resolves `file://` URLs to their bytes; everything else passes through. */
function readSource(input: KeyInput, option: string): string | Buffer | KeyObject {
  if (typeof input === 'string' && input.startsWith('file://')) {
    let path: string;
    try {
      path = fileURLToPath(input);
    } catch (cause) {
      throw invalid(option, `"${input}" is not a valid file:// URL`, cause);
    }
    try {
      return readFileSync(path);
    } catch (cause) {
      throw invalid(option, `cannot read ${path} (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, cause);
    }
  }
  return input;
}

function isPem(source: string | Buffer): boolean {
  return PEM.test(typeof source === 'string' ? source : source.subarray(0, 256).toString('latin1'));
}

/**
 * Loads the merchant's RSA private key once, from PKCS#1 or PKCS#8 in PEM or DER, a
 * `file://` URL, or a `KeyObject`. Errors name `option` and never echo the key.
 */
export function loadPrivateKey(input: unknown, option = 'privateKey'): KeyObject {
  if (input instanceof KeyObject) {
    if (input.type !== 'private' || input.asymmetricKeyType !== 'rsa') {
      throw invalid(option, `expected an RSA private KeyObject, got a ${input.asymmetricKeyType ?? 'secret'} ${input.type} key`);
    }
    return input;
  }
  if (typeof input !== 'string' && !Buffer.isBuffer(input)) {
    throw invalid(option, 'expected a PEM string, a Buffer, a file:// URL or a KeyObject');
  }
  const source = readSource(input, option) as string | Buffer;
  if (source.length === 0) throw invalid(option, 'is empty');
  let key: KeyObject | undefined;
  let lastError: unknown;
  const attempts = isPem(source)
    ? [{ key: source, format: 'pem' as const }]
    : ['pkcs8', 'pkcs1'].map((type) => ({ key: Buffer.from(source), format: 'der' as const, type: type as 'pkcs8' | 'pkcs1' }));
  for (const attempt of attempts) {
    try {
      key = createPrivateKey(attempt);
      break;
    } catch (cause) {
      lastError = cause;
    }
  }
  if (!key) throw invalid(option, 'is not a readable PKCS#1 or PKCS#8 private key', lastError);
  if (key.asymmetricKeyType !== 'rsa') throw invalid(option, `expected an RSA key, got ${key.asymmetricKeyType}`);
  return key;
}

function fromCertificate(certificate: X509Certificate): VerificationKey {
  return {
    key: certificate.publicKey,
    validFrom: new Date(certificate.validFrom),
    certificateSerial: certificate.serialNumber.toUpperCase(),
  };
}

/**
 * Loads one platform verification key: an X.509 certificate or an SPKI public key, in PEM or
 * DER, from a `file://` URL, or a public `KeyObject`.
 */
export function loadVerificationKey(input: unknown, option: string): VerificationKey {
  if (input instanceof KeyObject) {
    if (input.type !== 'public' || input.asymmetricKeyType !== 'rsa') {
      throw invalid(option, `expected an RSA public KeyObject, got a ${input.asymmetricKeyType ?? 'secret'} ${input.type} key`);
    }
    return { key: input };
  }
  if (typeof input !== 'string' && !Buffer.isBuffer(input)) {
    throw invalid(option, 'expected a certificate or public key as PEM, Buffer, file:// URL or KeyObject');
  }
  const source = readSource(input, option) as string | Buffer;
  if (source.length === 0) throw invalid(option, 'is empty');
  const text = isPem(source) ? source.toString() : undefined;
  if (text !== undefined && /PRIVATE KEY-----/.test(text)) {
    throw invalid(option, 'holds a private key; give the platform certificate or public key');
  }
  let verificationKey: VerificationKey | undefined;
  let lastError: unknown;
  const attempts: Array<() => VerificationKey> =
    text === undefined
      ? [
          () => fromCertificate(new X509Certificate(source)),
          () => ({ key: createPublicKey({ key: Buffer.from(source), format: 'der', type: 'spki' }) }),
        ]
      : /CERTIFICATE-----/.test(text)
        ? [() => fromCertificate(new X509Certificate(text))]
        : [() => ({ key: createPublicKey(text) })];
  for (const attempt of attempts) {
    try {
      verificationKey = attempt();
      break;
    } catch (cause) {
      lastError = cause;
    }
  }
  if (!verificationKey) throw invalid(option, 'is not a readable X.509 certificate or public key', lastError);
  if (verificationKey.key.asymmetricKeyType !== 'rsa') {
    throw invalid(option, `expected an RSA key, got ${verificationKey.key.asymmetricKeyType}`);
  }
  return verificationKey;
}
