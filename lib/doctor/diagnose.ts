import { checkOptionCase, type WechatpayOptions } from '../client-options';
import type { KeyInput } from '../keys';
import type { CheckResult } from './check';
import { gatewayChecks } from './gateway-checks';
import { localChecks } from './local-checks';

/** What `diagnose()` checks: the client options, and what only the doctor takes. */
export interface DiagnoseOptions extends WechatpayOptions {
  /** The merchant API certificate (apiclient_cert.pem): checked against the private key and the serial. */
  merchantCertificate?: KeyInput;
  /** Ask the gateway to send its test notification here. */
  notifyUrl?: string;
  /** Skip the gateway checks (local checks only). */
  offline?: boolean;
}

/**
 * Checks a merchant's setup and says what is wrong: the local checks (the key parses, belongs to
 * the certificate and its serial; platform certificates in date and not the merchant's; key
 * lengths), then, unless `offline`, the gateway's `v3/security/echo` and the clock. Resolves to
 * one {@link CheckResult} per check; never throws for a bad setup, and never reports key material.
 * It rejects only an option name written in another case than the one it reads (`notifyURL`),
 * with an InvalidOptionError: that option would otherwise be ignored and its check skipped.
 */
export async function diagnose(options: DiagnoseOptions): Promise<CheckResult[]> {
  // A misspelt notifyURL would otherwise go to the client, unread, and its check be skipped.
  if (options !== null && typeof options === 'object') checkOptionCase(options, ['merchantCertificate', 'notifyUrl', 'offline']);
  const { merchantCertificate, notifyUrl, offline, ...client } = options;
  const local = localChecks({ serial: client.serial, privateKey: client.privateKey, merchantCertificate, certs: client.certs, apiv3Key: client.apiv3Key, secret: client.secret });
  if (offline || local.some((result) => result.status === 'fail')) return local;
  return [...local, ...(await gatewayChecks(client, { notifyUrl }))];
}
