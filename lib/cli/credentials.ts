import { readFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { rootCertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';
import type { WechatpayOptions } from '../client-options';
import { InvalidOptionError } from '../errors';
import { IDLE_SOCKET_MS } from '../http-defaults';
import { readConfigFile, type ConfigValues } from './config-file';
import { keySource } from './key-source';

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
  /** The merchant API certificate (`apiclient_cert.pem`): APIv2's client certificate, and what `doctor` checks the key against. */
  merchantCert?: string;
}

/** An agent that trusts the CA in `value` (a file, a `file://` URL or PEM) besides the system's, or undefined without one. */
function trusting(value: string | undefined): HttpsAgent | undefined {
  if (value === undefined) return undefined;
  const source = keySource(value);
  let ca: string;
  try {
    ca = source.startsWith('file://') ? readFileSync(new URL(source), 'utf8') : source;
  } catch (cause) {
    throw new InvalidOptionError(`--ca: cannot read ${fileURLToPath(source)} (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, { cause });
  }
  return new HttpsAgent({ ca: [...rootCertificates, ca], keepAlive: true, timeout: IDLE_SOCKET_MS });
}

/**
 * The credentials a command runs with, each from the first place that has it: the flag, then
 * the environment (`WECHATPAY_MCHID`, `WECHATPAY_SERIAL`, `WECHATPAY_PRIVATE_KEY`,
 * `WECHATPAY_PLATFORM_ID` + `WECHATPAY_PLATFORM_KEY`, `WECHATPAY_APIV3_KEY`, `WECHATPAY_V2_KEY`,
 * `WECHATPAY_BASE_URL`, `WECHATPAY_CA`, `WECHATPAY_MERCHANT_CERT`), then the `--config` file.
 */
export function credentialValues(flags: CredentialFlags, env: NodeJS.ProcessEnv = process.env): ConfigValues {
  const file = flags.config ? readConfigFile(flags.config) : {};
  const envPlatform = env.WECHATPAY_PLATFORM_ID && env.WECHATPAY_PLATFORM_KEY ? [`${env.WECHATPAY_PLATFORM_ID}=${env.WECHATPAY_PLATFORM_KEY}`] : undefined;
  return {
    mchid: flags.mchid ?? env.WECHATPAY_MCHID ?? file.mchid,
    serial: flags.serial ?? env.WECHATPAY_SERIAL ?? file.serial,
    privateKey: flags.privateKey ?? env.WECHATPAY_PRIVATE_KEY ?? file.privateKey,
    platform: flags.platform ?? envPlatform ?? file.platform,
    apiv3Key: flags.apiv3Key ?? env.WECHATPAY_APIV3_KEY ?? file.apiv3Key,
    secret: flags.secret ?? env.WECHATPAY_V2_KEY ?? file.secret,
    baseUrl: flags.baseUrl ?? env.WECHATPAY_BASE_URL ?? file.baseUrl,
    ca: flags.ca ?? env.WECHATPAY_CA ?? file.ca,
    merchantCert: flags.merchantCert ?? env.WECHATPAY_MERCHANT_CERT ?? file.merchantCert,
  };
}

/**
 * The client options for these credentials. The merchant certificate becomes APIv2's mutual-TLS
 * identity (with the private key as its key) when the APIv2 secret is given too; without the
 * secret only `doctor` uses it.
 */
export function clientOptions(values: ConfigValues): WechatpayOptions {
  const certs = values.platform?.length
    ? Object.fromEntries(values.platform.map((entry) => {
        const at = entry.indexOf('=');
        if (at < 1) throw new InvalidOptionError(`--platform: expected ID=KEY_FILE, got "${entry.slice(0, 80)}"`);
        return [entry.slice(0, at), keySource(entry.slice(at + 1))];
      }))
    : undefined;
  const privateKey = values.privateKey === undefined ? undefined : keySource(values.privateKey);
  const options: Record<string, unknown> = {
    mchid: values.mchid,
    serial: values.serial,
    privateKey,
    certs,
    apiv3Key: values.apiv3Key,
    secret: values.secret,
    merchant: values.secret !== undefined && values.merchantCert !== undefined && privateKey !== undefined ? { cert: keySource(values.merchantCert), key: privateKey } : undefined,
    baseURL: values.baseUrl,
    httpsAgent: trusting(values.ca),
  };
  for (const key of Object.keys(options)) if (options[key] === undefined) delete options[key];
  return options as unknown as WechatpayOptions;
}

/** The client options a command runs with: {@link clientOptions} of its {@link credentialValues}. */
export function resolveCredentials(flags: CredentialFlags, env: NodeJS.ProcessEnv = process.env): WechatpayOptions {
  return clientOptions(credentialValues(flags, env));
}
