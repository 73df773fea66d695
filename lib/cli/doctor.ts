import { diagnose } from '../doctor/diagnose';
import type { CheckResult, DiagnosedOption } from '../doctor/check';
import { clientOptions, credentialValues, type CredentialFlags } from './credentials';
import { keySource } from './key-source';

/** The flags of `wechatpay doctor`, besides the credentials. */
export interface DoctorFlags extends CredentialFlags {
  notifyUrl?: string;
  offline?: boolean;
  json?: boolean;
}

const MARKS = { pass: '✓', warn: '!', fail: '✗' } as const;

/** Where the command takes each option a fix can be about: its flag, its environment variable, its `--config` key. */
const WHERE: Record<DiagnosedOption, string> = {
  serial: '-s/--serial, WECHATPAY_SERIAL or serial in the --config file',
  privateKey: '-f/--private-key, WECHATPAY_PRIVATE_KEY or privateKey in the --config file',
  merchantCertificate: '--merchant-cert, WECHATPAY_MERCHANT_CERT or merchantCert in the --config file',
  certs: '-p/--platform, WECHATPAY_PLATFORM_ID with WECHATPAY_PLATFORM_KEY, or platform in the --config file',
  apiv3Key: '-k/--apiv3-key, WECHATPAY_APIV3_KEY or apiv3Key in the --config file',
  secret: '--secret, WECHATPAY_V2_KEY or secret in the --config file',
};

/** The report as lines: a mark and what was found, and under a warning or failure what to do, and where the command takes the option it is about. */
export function formatReport(results: readonly CheckResult[]): string {
  const fix = ({ fix, option }: CheckResult) => (fix ? `\n    → ${fix}${option ? ` (${WHERE[option]})` : ''}` : '');
  return results.map((result) => `${MARKS[result.status]} ${result.message}${fix(result)}`).join('\n');
}

/** Runs the doctor's checks with the command's credentials; resolves to the results and whether every check passed (warnings allowed). */
export async function runDoctor(flags: DoctorFlags): Promise<{ results: CheckResult[]; healthy: boolean }> {
  const values = credentialValues(flags);
  const results = await diagnose({
    ...clientOptions(values),
    ...(values.merchantCert === undefined ? {} : { merchantCertificate: keySource(values.merchantCert) }),
    notifyUrl: flags.notifyUrl,
    offline: flags.offline,
  });
  return { results, healthy: results.every((result) => result.status !== 'fail') };
}
