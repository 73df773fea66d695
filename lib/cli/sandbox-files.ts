import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidOptionError } from '../errors';
import type { Sandbox } from '../sandbox';

/** Writes a file readable by its owner only: these hold keys (the sandbox's, but keys all the same). */
function writePrivate(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** `value` as one POSIX shell word: as it is where that is safe, else single-quoted. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Runs `write` on the absolute path of `directory`; what it throws becomes the InvalidOptionError naming `--out`. */
function inOutDirectory<T>(directory: string, write: (dir: string) => T): T {
  const dir = resolve(directory);
  try {
    return write(dir);
  } catch (cause) {
    throw new InvalidOptionError(`--out: cannot write the credentials to ${dir} (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, { cause });
  }
}

/**
 * Makes the folder `--out` names (mode 0700) if it is absent, and returns its absolute path; one
 * that cannot be made is an InvalidOptionError naming `--out`. The sandbox keeps its keys there.
 */
export function makeOutDirectory(directory: string): string {
  return inOutDirectory(directory, (dir) => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  });
}

/** Writes the files and returns the command to run next. */
function writeAll(sandbox: Sandbox, dir: string, tls: boolean): string {
  const file = (name: string) => join(dir, name);
  const privateKey = file('apiclient_key.pem');
  const merchantCert = file('apiclient_cert.pem');
  writePrivate(privateKey, sandbox.merchant.privateKeyPem);
  writeFileSync(merchantCert, sandbox.merchantTls.cert);
  const platform = sandbox.platformKeys.map((key) => {
    const path = file(`platform_${key.id}.pem`);
    writeFileSync(path, key.certificatePem ?? key.publicKeyPem);
    return `${key.id}=${path}`;
  });
  const ca = tls ? file('ca.pem') : undefined;
  if (ca) writeFileSync(ca, sandbox.caCertificatePem);
  const config = file('config.json');
  const { mchid, serial, baseURL, secret } = sandbox.clientOptions;
  writePrivate(config, `${JSON.stringify({ mchid, serial, privateKey, merchantCert, platform, baseUrl: baseURL, apiv3Key: sandbox.apiv3Key, secret, ...(ca ? { ca } : {}) }, null, 2)}\n`);
  return `npx wechatpay-ts v3/credit-repayment/partner/contracts/terminate --json '{"out_contract_code":"100001256","contract_termination_remark":"try"}' --config ${shellWord(config)}`;
}

/**
 * Writes what a client of `sandbox` needs into `directory` (created mode 0700 if absent): the
 * merchant key (`apiclient_key.pem`), its certificate (`apiclient_cert.pem`, APIv2's client
 * certificate), each platform key (`platform_<id>.pem`), with `tls` the CA (`ca.pem`), and
 * `config.json`, which every command takes as `--config`: mchid, serial, the files by absolute
 * path, baseUrl, and the sandbox's own APIv3 key and APIv2 secret (throwaway keys; with them
 * `certificates download`, `doctor` and APIv2 calls work too). The key file and the config are
 * mode 0600. Returns the command to run next, a POST with `--config` (it names no key). A
 * directory that cannot be written is an InvalidOptionError naming `--out`.
 */
export function writeSandboxFiles(sandbox: Sandbox, directory: string, tls: boolean): string {
  return inOutDirectory(directory, (dir) => writeAll(sandbox, makeOutDirectory(dir), tls));
}
