import { readFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { rootCertificates } from 'node:tls';
import { pathToFileURL } from 'node:url';
import type { WechatpayOptions } from '../client-options';
import { InvalidOptionError } from '../errors';
import { IDLE_SOCKET_MS } from '../http-defaults';
import { parseJsonInput } from './json-input';

/** The credential flags every command shares, as commander parses them. */
export interface CredentialFlags {
  config?: string;
  mchid?: string;
  serial?: string;
  privateKey?: string;
  platform?: string[];
  apiv3Key?: string;
  secret?: string;
  baseUrl?: string;
  /** A CA certificate file to trust besides the system's (the TLS sandbox's). */
  ca?: string;
}

/** A key file path (or a value that is already a file:// URL or PEM) as the client takes it. */
export function keySource(value: string): string {
  return value.startsWith('file://') || value.includes('-----BEGIN') ? value : pathToFileURL(value).href;
}

function fromConfigFile(path: string): Partial<CredentialFlags> & { platform?: string[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new InvalidOptionError(`--config: cannot read ${path} (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, { cause });
  }
  const parsed = parseJsonInput(text, `--config: ${path}`);
  if (parsed === null || typeof parsed !== 'object') throw new InvalidOptionError(`--config: ${path} does not hold a JSON object`);
  return parsed;
}

/** An agent that trusts the CA in `path` besides the system's, or undefined without one. */
function trusting(path: string | undefined): HttpsAgent | undefined {
  if (path === undefined) return undefined;
  let ca: Buffer;
  try {
    ca = readFileSync(path);
  } catch (cause) {
    throw new InvalidOptionError(`--ca: cannot read ${path} (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, { cause });
  }
  return new HttpsAgent({ ca: [...rootCertificates, ca.toString('utf8')], keepAlive: true, timeout: IDLE_SOCKET_MS });
}

/**
 * The client options a command runs with, each from the first place that has it: the flag, then
 * the environment (`WECHATPAY_MCHID`, `WECHATPAY_SERIAL`, `WECHATPAY_PRIVATE_KEY`,
 * `WECHATPAY_PLATFORM_ID` + `WECHATPAY_PLATFORM_KEY`, `WECHATPAY_APIV3_KEY`, `WECHATPAY_V2_KEY`,
 * `WECHATPAY_BASE_URL`), then the JSON config file (`--config`, same names as the flags).
 */
export function resolveCredentials(flags: CredentialFlags, env: NodeJS.ProcessEnv = process.env): WechatpayOptions {
  const file = flags.config ? fromConfigFile(flags.config) : {};
  const pick = (flag: string | undefined, variable: string, fromFile: unknown) => flag ?? env[variable] ?? (typeof fromFile === 'string' ? fromFile : undefined);
  const envPlatform = env.WECHATPAY_PLATFORM_ID && env.WECHATPAY_PLATFORM_KEY ? [`${env.WECHATPAY_PLATFORM_ID}=${env.WECHATPAY_PLATFORM_KEY}`] : undefined;
  const platform = flags.platform ?? envPlatform ?? (Array.isArray(file.platform) ? file.platform : undefined);
  const certs = platform?.length
    ? Object.fromEntries(platform.map((entry) => {
        const at = entry.indexOf('=');
        if (at < 1) throw new InvalidOptionError(`--platform: expected ID=KEY_FILE, got "${entry.slice(0, 80)}"`);
        return [entry.slice(0, at), keySource(entry.slice(at + 1))];
      }))
    : undefined;
  const privateKey = pick(flags.privateKey, 'WECHATPAY_PRIVATE_KEY', file.privateKey);
  const options: Record<string, unknown> = {
    mchid: pick(flags.mchid, 'WECHATPAY_MCHID', file.mchid),
    serial: pick(flags.serial, 'WECHATPAY_SERIAL', file.serial),
    privateKey: privateKey === undefined ? undefined : keySource(privateKey),
    certs,
    apiv3Key: pick(flags.apiv3Key, 'WECHATPAY_APIV3_KEY', file.apiv3Key),
    secret: pick(flags.secret, 'WECHATPAY_V2_KEY', file.secret),
    baseURL: pick(flags.baseUrl, 'WECHATPAY_BASE_URL', file.baseUrl),
    httpsAgent: trusting(pick(flags.ca, 'WECHATPAY_CA', file.ca)),
  };
  for (const key of Object.keys(options)) if (options[key] === undefined) delete options[key];
  return options as unknown as WechatpayOptions;
}
