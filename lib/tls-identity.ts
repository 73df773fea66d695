import { createSecureContext, type SecureContext, type SecureContextOptions } from 'node:tls';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InvalidOptionError } from './errors';

/**
 * The merchant API certificate as users hold it: PEM certificate and key, or a PKCS#12 file.
 *
 * @inline
 */
export type TlsIdentityInput = { cert: string | Buffer; key: string | Buffer } | { pfx: string | Buffer; passphrase?: string };

/** The identity, read and proven usable: what goes into an https.Agent for mutual TLS. */
export type TlsIdentity = { cert: Buffer; key: Buffer } | { pfx: Buffer; passphrase?: string };

function invalid(message: string, cause?: unknown): InvalidOptionError {
  return new InvalidOptionError(message, { cause });
}

/** PEM text or bytes, or a `file://` URL read once. */
function read(value: unknown, option: string): Buffer {
  if (typeof value === 'string' && value.startsWith('file://')) {
    try {
      return readFileSync(fileURLToPath(value));
    } catch (cause) {
      throw invalid(`${option}: cannot read ${value.slice(0, 200)} (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, cause);
    }
  }
  if (typeof value === 'string' && value !== '') return Buffer.from(value);
  if (Buffer.isBuffer(value) && value.length > 0) return value;
  throw invalid(`${option}: expected PEM text, a Buffer or a file:// URL`);
}

/**
 * Reads the merchant's APIv2 certificate once and builds the one TLS context the `security: true`
 * calls use, on top of `base` (the client's own `httpsAgent` options: a private CA, say), so a
 * wrong passphrase, a key that does not match the certificate, or a file that is neither fails
 * here, naming `option`, rather than at the first call. Only the context is kept: no key, pfx or
 * passphrase stays reachable from the client.
 */
export function loadTlsIdentity(input: unknown, option: string, base: SecureContextOptions = {}): SecureContext {
  if (input === null || typeof input !== 'object') throw invalid(`${option}: expected { cert, key } or { pfx, passphrase }`);
  const given = input as Record<string, unknown>;
  let identity: TlsIdentity;
  if ('pfx' in given) {
    if (given.passphrase !== undefined && typeof given.passphrase !== 'string') throw invalid(`${option}.passphrase: expected a string`);
    identity = { pfx: read(given.pfx, `${option}.pfx`), passphrase: given.passphrase };
  } else {
    identity = { cert: read(given.cert, `${option}.cert`), key: read(given.key, `${option}.key`) };
  }
  try {
    return createSecureContext({ ...base, ...identity });
  } catch (cause) {
    throw invalid(`${option}: not a usable certificate and key (${'pfx' in identity ? 'wrong passphrase or not PKCS#12' : 'unreadable PEM, or the key does not match the certificate'})`, cause);
  }
}
