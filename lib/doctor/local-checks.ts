import { createPublicKey, type KeyObject } from 'node:crypto';
import { loadPrivateKey, loadVerificationKey, type KeyInput, type VerificationKey } from '../keys';
import { fail, pass, reason, warn, type CheckResult, type DiagnosedOption } from './check';

/** What the local checks look at: the credentials as the merchant wrote them. */
export interface LocalInputs {
  serial?: string;
  privateKey?: KeyInput;
  /** The merchant API certificate (apiclient_cert.pem), when the merchant has it at hand. */
  merchantCertificate?: KeyInput;
  certs?: Record<string, KeyInput>;
  apiv3Key?: string | Buffer;
  secret?: string;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: number;
}

const DAY_MS = 24 * 3600 * 1000;
/** A platform certificate ending within this is worth a warning. */
const EXPIRY_WARNING_MS = 30 * DAY_MS;

/** The serial check: 40 upper-case hex characters, with a hint when it looks like a decimal rendering or carries whitespace. */
function checkSerial(serial: string | undefined): CheckResult {
  if (serial === undefined) return fail('serial', 'no merchant certificate serial given', 'give the merchant certificate serial (the 40 hex characters of the merchant API certificate, 证书序列号)', 'serial');
  if (/\s/.test(serial)) return fail('serial', 'the serial contains whitespace (a newline copied from a file?)', 'remove the spaces and line breaks', 'serial');
  if (/^\d+$/.test(serial) && serial.length > 40) return fail('serial', 'the serial looks like a decimal rendering of the number', 'use the hexadecimal serial: openssl x509 -in apiclient_cert.pem -noout -serial', 'serial');
  if (!/^[0-9A-Fa-f]{40}$/.test(serial)) return fail('serial', `the serial is ${serial.length} characters, not 40 hex characters`, 'use the hexadecimal serial: openssl x509 -in apiclient_cert.pem -noout -serial', 'serial');
  if (serial !== serial.toUpperCase()) return warn('serial', 'the serial is in lower case', 'the gateway expects upper case; the client upper-cases it, other tools may not', 'serial');
  return pass('serial', 'the serial is 40 hex characters');
}

function loadKey(input: KeyInput | undefined): { key?: KeyObject; result: CheckResult } {
  if (input === undefined) return { result: fail('private-key', 'no merchant private key given', 'give the merchant API private key (apiclient_key.pem)', 'privateKey') };
  try {
    const key = loadPrivateKey(input);
    return { key, result: pass('private-key', `the private key parses (RSA ${key.asymmetricKeyDetails?.modulusLength ?? '?'} bits)`) };
  } catch (error) {
    return { result: fail('private-key', reason(error), 'give the merchant API private key, apiclient_key.pem, as PEM', 'privateKey') };
  }
}

/** The merchant certificate, loaded once for every check that compares with it (a bare public key still serves the platform-key comparison); and why it does not serve, if it does not. */
function loadMerchantCertificate(input: KeyInput | undefined): { certificate?: VerificationKey; results: CheckResult[] } {
  if (input === undefined) return { results: [] };
  const fix = 'give the merchant API certificate, apiclient_cert.pem';
  try {
    const certificate = loadVerificationKey(input, 'merchant certificate');
    return { certificate, results: certificate.certificateSerial ? [] : [fail('merchant-certificate', 'this is a public key, not a certificate', fix, 'merchantCertificate')] };
  } catch (error) {
    return { results: [fail('merchant-certificate', reason(error), fix, 'merchantCertificate')] };
  }
}

function checkMerchantCertificate(loaded: VerificationKey | undefined, key: KeyObject | undefined, serial: string | undefined): CheckResult[] {
  const own = loaded?.certificateSerial;
  if (!loaded || !own) return [];
  const results: CheckResult[] = [];
  const samePublic = key && createPublicKey(key).export({ type: 'spki', format: 'der' }).equals(loaded.key.export({ type: 'spki', format: 'der' }));
  results.push(samePublic ? pass('key-matches-certificate', 'the private key belongs to the merchant certificate') : fail('key-matches-certificate', 'the private key does not belong to the merchant certificate', 'download the key and certificate of the same application from the merchant platform (商户平台 → API安全)', 'privateKey'));
  results.push(serial?.toUpperCase() === own ? pass('serial-matches-certificate', 'the serial is the merchant certificate’s') : fail('serial-matches-certificate', `the merchant certificate’s serial is ${own}, not the one given`, `use the serial ${own}`, 'serial'));
  return results;
}

function checkPlatformKeys(certs: Record<string, KeyInput> | undefined, merchantCertificate: VerificationKey | undefined, now: number): CheckResult[] {
  if (certs === undefined) return [];
  const merchantPublic = merchantCertificate?.key.export({ type: 'spki', format: 'der' });
  return Object.entries(certs).map(([id, input]) => {
    const check = `platform-key:${id.slice(0, 64)}`;
    const label = `platform key ${id.slice(0, 64)}`;
    if (!/^[0-9A-Fa-f]{1,64}$/.test(id) && !/^PUB_KEY_ID_[0-9A-Z_]+$/.test(id)) {
      return fail(check, `${label}: the id is neither a certificate serial (hex) nor a public key id (PUB_KEY_ID_…)`, 'copy the public key id from the merchant platform (微信支付公钥)', 'certs');
    }
    let loaded: VerificationKey;
    try {
      loaded = loadVerificationKey(input, `certs["${id.slice(0, 64)}"]`);
    } catch (error) {
      return fail(check, `${label}: ${reason(error)}`, 'give the platform certificate or the WeChat Pay public key as PEM', 'certs');
    }
    if (merchantPublic?.equals(loaded.key.export({ type: 'spki', format: 'der' }))) return fail(check, `${label}: this is the merchant certificate, not a platform certificate`, 'download the platform certificates (wechatpay certificates) or use the WeChat Pay public key', 'certs');
    if (!loaded.validTo) return pass(check, `${label}: a public key`);
    if (loaded.certificateSerial !== id.toUpperCase()) return fail(check, `${label}: the certificate’s serial is ${loaded.certificateSerial}`, `file it under ${loaded.certificateSerial}`, 'certs');
    if (loaded.validFrom && loaded.validFrom.getTime() > now) return fail(check, `${label}: the certificate is not valid before ${loaded.validFrom.toISOString()}`, 'check the local clock');
    if (loaded.validTo.getTime() < now) return fail(check, `${label}: the certificate expired on ${loaded.validTo.toISOString()}`, 'download the current platform certificates, or move to the WeChat Pay public key', 'certs');
    if (loaded.validTo.getTime() - now < EXPIRY_WARNING_MS) return warn(check, `${label}: the certificate expires on ${loaded.validTo.toISOString()}, within 30 days`, 'download its successor (the client does, given the APIv3 key)', 'certs');
    return pass(check, `${label}: valid until ${loaded.validTo.toISOString().slice(0, 10)}`);
  });
}

function checkLength(id: string, value: string | Buffer | undefined, what: string, option: DiagnosedOption): CheckResult[] {
  if (value === undefined) return [];
  const bytes = Buffer.byteLength(value);
  return [bytes === 32 ? pass(id, `${what} is 32 bytes`) : fail(id, `${what} is ${bytes} bytes, not 32`, `copy the ${what} again from the merchant platform (商户平台 → API安全); it is 32 characters`, option)];
}

/** The checks that need no network: each credential parses, belongs with the others and is in date. */
export function localChecks(inputs: LocalInputs): CheckResult[] {
  const now = inputs.now ?? Date.now();
  const { key, result } = loadKey(inputs.privateKey);
  const merchant = loadMerchantCertificate(inputs.merchantCertificate);
  return [
    result,
    checkSerial(inputs.serial),
    ...merchant.results,
    ...checkMerchantCertificate(merchant.certificate, key, inputs.serial),
    ...checkPlatformKeys(inputs.certs, merchant.certificate, now),
    ...checkLength('apiv3-key', inputs.apiv3Key, 'APIv3 key', 'apiv3Key'),
    ...checkLength('apiv2-key', inputs.secret, 'APIv2 key', 'secret'),
  ];
}
