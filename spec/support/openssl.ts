import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs `openssl` on files written to a scratch folder, removed afterwards. */
function withFiles<T>(files: Record<string, string | Buffer>, run: (path: (name: string) => string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'wechatpay-openssl-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    return run((name) => join(dir, name));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether the openssl CLI verifies `signature` (base64) of `message` under `publicKeyPem` with RSA-SHA256. */
export function opensslVerifies(message: string | Buffer, signature: string, publicKeyPem: string): boolean {
  return withFiles({ 'message.bin': message, 'signature.bin': Buffer.from(signature, 'base64'), 'key.pem': publicKeyPem }, (path) => {
    try {
      const out = execFileSync('openssl', ['dgst', '-sha256', '-verify', path('key.pem'), '-signature', path('signature.bin'), path('message.bin')], { encoding: 'utf8' });
      return out.trim() === 'Verified OK';
    } catch {
      return false;
    }
  });
}

/** The base64 RSA-SHA256 (PKCS#1 v1.5) signature the openssl CLI makes of `message` with `privateKeyPem`. */
export function opensslSigns(message: string | Buffer, privateKeyPem: string): string {
  return withFiles({ 'message.bin': message, 'key.pem': privateKeyPem }, (path) =>
    execFileSync('openssl', ['dgst', '-sha256', '-sign', path('key.pem'), path('message.bin')]).toString('base64'),
  );
}

/** The lower-case hex digest the openssl CLI makes of `message`: MD5, or HMAC-SHA256 under `hmacKey` when given. */
export function opensslDigest(message: string | Buffer, hmacKey?: string): string {
  const args = hmacKey === undefined ? ['-md5'] : ['-sha256', '-hmac', hmacKey];
  return withFiles({ 'message.bin': message }, (path) => {
    // -r prints `HEX *FILE`, the same whatever openssl version names the algorithm in its default output.
    const out = execFileSync('openssl', ['dgst', ...args, '-r', path('message.bin')], { encoding: 'utf8' });
    return out.split(' ')[0];
  });
}

/** The lower-case hex digest the openssl CLI makes of `message` with `algorithm`. */
export function opensslHash(message: string | Buffer, algorithm: 'md5' | 'sha1' | 'sha256'): string {
  return withFiles({ 'message.bin': message }, (path) => {
    const out = execFileSync('openssl', ['dgst', `-${algorithm}`, '-r', path('message.bin')], { encoding: 'utf8' });
    return out.split(' ')[0];
  });
}

/** RSA-OAEP with SHA-1 for both the label hash and MGF1, as WeChat Pay encrypts sensitive fields. */
const OAEP_SHA1 = ['-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha1', '-pkeyopt', 'rsa_mgf1_md:sha1'];

/** The base64 RSA-OAEP (SHA-1) ciphertext `openssl pkeyutl -encrypt` makes of `plaintext` for a public key or certificate PEM. */
export function opensslEncryptsOaep(plaintext: string | Buffer, publicPem: string): string {
  const keyForm = publicPem.includes('-----BEGIN CERTIFICATE-----') ? '-certin' : '-pubin';
  return withFiles({ 'plain.bin': plaintext, 'key.pem': publicPem }, (path) =>
    execFileSync('openssl', ['pkeyutl', '-encrypt', keyForm, '-inkey', path('key.pem'), ...OAEP_SHA1, '-in', path('plain.bin')]).toString('base64'),
  );
}

/** The bytes `openssl pkeyutl -decrypt` recovers from a base64 RSA-OAEP (SHA-1) ciphertext with `privateKeyPem`. */
export function opensslDecryptsOaep(ciphertext: string, privateKeyPem: string): Buffer {
  return withFiles({ 'cipher.bin': Buffer.from(ciphertext, 'base64'), 'key.pem': privateKeyPem }, (path) =>
    execFileSync('openssl', ['pkeyutl', '-decrypt', '-inkey', path('key.pem'), ...OAEP_SHA1, '-in', path('cipher.bin')]),
  );
}

/** A self-signed X.509 certificate (PEM) for `privateKeyPem`, issued by `openssl req -x509` and valid for a day. */
export function opensslIssuesCertificate(privateKeyPem: string): string {
  return withFiles({ 'key.pem': privateKeyPem }, (path) =>
    execFileSync('openssl', ['req', '-x509', '-new', '-key', path('key.pem'), '-subj', '/CN=wechatpay-ts test', '-days', '1'], { encoding: 'utf8' }),
  );
}

/** The base64 AES-256-ECB (PKCS#7 padding) ciphertext `openssl enc` makes of `plaintext`; `key` is the 32 raw key bytes. */
export function opensslEncryptsEcb(plaintext: string | Buffer, key: Buffer): string {
  return withFiles({ 'plain.bin': plaintext }, (path) =>
    execFileSync('openssl', ['enc', '-aes-256-ecb', '-K', key.toString('hex'), '-nosalt', '-base64', '-A', '-in', path('plain.bin')], { encoding: 'utf8' }).trim(),
  );
}

/** The bytes `openssl enc -d` recovers from a base64 AES-256-ECB (PKCS#7 padding) ciphertext under the 32 raw `key` bytes. */
export function opensslDecryptsEcb(ciphertext: string, key: Buffer): Buffer {
  return withFiles({ 'cipher.b64': ciphertext }, (path) =>
    execFileSync('openssl', ['enc', '-d', '-aes-256-ecb', '-K', key.toString('hex'), '-nosalt', '-base64', '-A', '-in', path('cipher.b64')]),
  );
}
