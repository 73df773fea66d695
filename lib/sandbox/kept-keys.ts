import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidOptionError } from '../errors';
import type { Keys } from './keys';
import { toIdentity, type Identity } from './pki';

/** The environment variable naming the folder sandboxes keep their keys in when `Sandbox.start()` is given no `keysDir`. */
export const KEYS_DIR_ENV = 'WECHATPAY_SANDBOX_KEYS_DIR';

/** The identities of a key set, by the name `Keys` gives them. */
const IDENTITIES = ['ca', 'merchant', 'platformCertificate', 'platformPublicKey', 'server'] as const;

/** One identity as the file keeps it: the public key is derived from the private one again. */
interface KeptIdentity {
  id: string;
  privateKeyPem: string;
  certificatePem?: string;
}

/** The file of a key set: format 1. */
interface KeptKeys {
  format: 1;
  mchid: string;
  identities: Record<(typeof IDENTITIES)[number], KeptIdentity>;
  apiv3Key: string;
  apiv2Secret: string;
}

/** The file in `dir` that keeps the keys of merchant `mchid`. */
export function keysFile(dir: string, mchid: string): string {
  return join(dir, `sandbox-${mchid}.json`);
}

function kept(identity: Identity): KeptIdentity {
  return { id: identity.id, privateKeyPem: identity.privateKeyPem, ...(identity.certificatePem !== undefined ? { certificatePem: identity.certificatePem } : {}) };
}

function revived(identity: KeptIdentity): Identity {
  const privateKey = createPrivateKey(identity.privateKeyPem);
  return toIdentity(identity.id, { privateKey, publicKey: createPublicKey(privateKey) }, identity.certificatePem);
}

/** The keys a file holds, or why it holds none (the message never quotes its content). */
function parseKept(text: string, mchid: string): Keys | string {
  let data: KeptKeys;
  try {
    data = JSON.parse(text) as KeptKeys;
  } catch {
    return 'it is not JSON';
  }
  if (data?.format !== 1 || data.mchid !== mchid) return `it is not a format-1 key file of merchant ${mchid}`;
  try {
    const identities = Object.fromEntries(IDENTITIES.map((name) => [name, revived(data.identities[name])])) as Pick<Keys, (typeof IDENTITIES)[number]>;
    if (typeof data.apiv3Key !== 'string' || typeof data.apiv2Secret !== 'string') return 'it lacks the APIv3 or APIv2 key';
    return { ...identities, apiv3Key: data.apiv3Key, apiv2Secret: data.apiv2Secret };
  } catch {
    return 'a key or certificate in it does not parse';
  }
}

/**
 * The keys of merchant `mchid` kept in `dir`: read from its file when there is one, else made by
 * `create` and written there (the folder made if need be, the file readable by its owner only,
 * written whole under a temporary name and then renamed, so that sandboxes starting together in
 * several processes never read half a file). A file that holds no key set is an
 * {@link InvalidOptionError} naming it: delete it, and the next start makes new keys.
 */
export async function keptKeys(dir: string, mchid: string, create: () => Promise<Keys>): Promise<Keys> {
  const file = keysFile(dir, mchid);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new InvalidOptionError(`keysDir: cannot read ${file} (${error.code ?? error.message})`);
  });
  if (text !== undefined) {
    const keys = parseKept(text, mchid);
    if (typeof keys === 'string') throw new InvalidOptionError(`keysDir: ${file} holds no sandbox keys: ${keys}; delete it, and the next start makes new keys`);
    return keys;
  }
  const keys = await create();
  const data: KeptKeys = { format: 1, mchid, identities: Object.fromEntries(IDENTITIES.map((name) => [name, kept(keys[name])])) as KeptKeys['identities'], apiv3Key: keys.apiv3Key, apiv2Secret: keys.apiv2Secret };
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(temporary, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, file);
  } catch (cause) {
    throw new InvalidOptionError(`keysDir: cannot write ${file} (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, { cause });
  }
  return keys;
}
