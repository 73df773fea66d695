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
