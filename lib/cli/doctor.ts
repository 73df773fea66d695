import { diagnose } from '../doctor/diagnose';
import type { CheckResult } from '../doctor/check';
import { clientOptions, credentialValues, type CredentialFlags } from './credentials';
import { keySource } from './key-source';

/** The flags of `wechatpay doctor`, besides the credentials. */
export interface DoctorFlags extends CredentialFlags {
  notifyUrl?: string;
  offline?: boolean;
  json?: boolean;
}

const MARKS = { pass: '✓', warn: '!', fail: '✗' } as const;

/** The report as lines: a mark and what was found, and under a warning or failure what to do. */
export function formatReport(results: readonly CheckResult[]): string {
  return results.map((result) => `${MARKS[result.status]} ${result.message}${result.fix ? `\n    → ${result.fix}` : ''}`).join('\n');
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
