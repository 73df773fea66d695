import { createPrivateKey, createPublicKey, KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InvalidOptionError } from './errors';

/**
 * A key as users hold it: PEM text, bare base64 of the DER, DER or PEM bytes, a `file://` URL
 * to either, or a `KeyObject`.
 */
export type KeyInput = string | Buffer | KeyObject;

/** A platform verification key, with what its source tells about it. */
export interface VerificationKey {
  /** The public key that checks signatures. */
  key: KeyObject;
  /** When the certificate starts being valid; undefined for a bare public key. */
  validFrom?: Date;
  /** When the certificate stops being valid; undefined for a bare public key. */
  validTo?: Date;
  /** The certificate's own serial (upper-case hex); undefined for a bare public key. */
  certificateSerial?: string;
}

/** No RSA key or certificate comes near this; anything larger is a mistake, not a key. */
const MAX_KEY_BYTES = 64 * 1024;
const PEM = /-----BEGIN ([A-Z0-9 ]+)-----/;
const BASE64 = /^[A-Za-z0-9+/\s]+={0,2}\s*$/;

function invalid(option: string, why: string, cause?: unknown): InvalidOptionError {
  return new InvalidOptionError(`${option}: ${why}`, { cause });
}

/** Key material in one of two shapes: PEM text (with its label) or DER bytes. */
type Material = { pem: string; label: string } | { der: Buffer };

/** Reads `file://` URLs, tells PEM from DER and bare base64, and bounds the size. */
function toMaterial(input: string | Buffer, option: string): Material {
  let source: string | Buffer = input;
  if (typeof input === 'string' && input.startsWith('file://')) {
    let path: string;
    try {
      path = fileURLToPath(input);
    } catch (cause) {
      throw invalid(option, `"${input.slice(0, 200)}" is not a valid file:// URL`, cause);
    }
    try {
      source = readFileSync(path);
    } catch (cause) {
      throw invalid(option, `cannot read ${path} (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, cause);
    }
  }
  if (source.length === 0) throw invalid(option, 'is empty');
  if (source.length > MAX_KEY_BYTES) throw invalid(option, `is ${source.length} bytes; no key or certificate is larger than ${MAX_KEY_BYTES}`);
  const text = typeof source === 'string' ? source : source.subarray(0, 512).toString('latin1');
  const label = PEM.exec(text)?.[1];
  if (label !== undefined) return { pem: source.toString(), label };
  // DER never consists of base64 characters alone (its first length byte is not one), so such bytes are base64 text.
  if (typeof source !== 'string' && !BASE64.test(source.toString('latin1'))) return { der: source };
  source = source.toString('latin1');
  if (!BASE64.test(source)) throw invalid(option, 'is neither PEM, base64 DER nor a file:// URL');
  return { der: Buffer.from(source, 'base64') };
}

/** Tries each way to read the material; the first that works wins. */
function firstOf<T>(attempts: Array<() => T>, option: string, why: string): T {
  let lastError: unknown;
  for (const attempt of attempts) {
    try {
      return attempt();
    } catch (cause) {
      lastError = cause;
    }
  }
  throw invalid(option, why, lastError);
}

function requireRsa(key: KeyObject, option: string): KeyObject {
  if (key.asymmetricKeyType !== 'rsa') throw invalid(option, `expected an RSA key, got ${key.asymmetricKeyType ?? 'a secret key'}`);
  return key;
}

/**
 * Loads an RSA private key once, from PKCS#1 or PKCS#8 in PEM, DER or bare base64 DER, a
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
    throw invalid(option, 'expected a PEM string, base64 DER, a Buffer, a file:// URL or a KeyObject');
  }
  const material = toMaterial(input, option);
  const why = 'is not a readable PKCS#1 or PKCS#8 private key';
  if ('pem' in material) {
    if (!/PRIVATE KEY$/.test(material.label)) throw invalid(option, `holds a ${material.label.toLowerCase()}, not a private key`);
    return requireRsa(firstOf([() => createPrivateKey(material.pem)], option, why), option);
  }
  const attempts = (['pkcs8', 'pkcs1'] as const).map((type) => () => createPrivateKey({ key: material.der, format: 'der', type }));
  return requireRsa(firstOf(attempts, option, why), option);
}

function fromCertificate(certificate: X509Certificate): VerificationKey {
  return {
    key: certificate.publicKey,
    validFrom: new Date(certificate.validFrom),
    validTo: new Date(certificate.validTo),
    certificateSerial: certificate.serialNumber.toUpperCase(),
  };
}

function parsesAsPrivateKey(der: Buffer): boolean {
  return (['pkcs8', 'pkcs1'] as const).some((type) => {
    try {
      createPrivateKey({ key: der, format: 'der', type });
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Loads one RSA public key, with its certificate's serial and validity when it comes as one:
 * an X.509 certificate, an SPKI or PKCS#1 public key, in PEM, DER or bare base64 DER, from a
 * `file://` URL, or a public `KeyObject`.
 */
export function loadVerificationKey(input: unknown, option: string): VerificationKey {
  if (input instanceof KeyObject) {
    if (input.type !== 'public' || input.asymmetricKeyType !== 'rsa') {
      throw invalid(option, `expected an RSA public KeyObject, got a ${input.asymmetricKeyType ?? 'secret'} ${input.type} key`);
    }
    return { key: input };
  }
  if (typeof input !== 'string' && !Buffer.isBuffer(input)) {
    throw invalid(option, 'expected a certificate or public key as PEM, base64 DER, Buffer, file:// URL or KeyObject');
  }
  const material = toMaterial(input, option);
  const why = 'is not a readable X.509 certificate or public key';
  let loaded: VerificationKey;
  if ('pem' in material) {
    if (/PRIVATE KEY$/.test(material.label)) throw invalid(option, 'holds a private key; give the platform certificate or public key');
    const { pem } = material;
    loaded = firstOf([material.label === 'CERTIFICATE' ? () => fromCertificate(new X509Certificate(pem)) : () => ({ key: createPublicKey(pem) })], option, why);
  } else {
    const { der } = material;
    // createPublicKey would quietly take private DER and derive its public half; refuse it as PEM is refused.
    if (parsesAsPrivateKey(der)) throw invalid(option, 'holds a private key; give the platform certificate or public key');
    loaded = firstOf(
      [
        () => fromCertificate(new X509Certificate(der)),
        () => ({ key: createPublicKey({ key: der, format: 'der', type: 'spki' }) }),
        () => ({ key: createPublicKey({ key: der, format: 'der', type: 'pkcs1' }) }),
      ],
      option,
      why,
    );
  }
  requireRsa(loaded.key, option);
  return loaded;
}
