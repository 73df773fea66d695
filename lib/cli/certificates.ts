import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { destinationOf } from '../attempts';
import { resolveOptions } from '../client-options';
import { Deadline, DEFAULT_TIMEOUT_MS } from '../deadline';
import { InvalidOptionError } from '../errors';
import { sharedDefaults } from '../http-defaults';
import { downloadCertificates, type DownloadedCertificate } from '../v3/certificates';
import { signedInstance } from '../v3/client';
import { resolveCredentials, type CredentialFlags } from './credentials';

/** The flags of `wechatpay certificates download`, as the PHP SDK's downloader takes them. */
export interface CertificateFlags extends CredentialFlags {
  output: string;
}

/**
 * Downloads the platform certificates and writes each as `wechatpay_<serial>.pem` into the
 * output folder. With no `--platform` key given, the download is verified with the certificate it
 * carries; with one, by that key.
 */
export async function downloadToFolder(flags: CertificateFlags): Promise<Array<{ serial: string; file: string; validTo?: Date }>> {
  const resolved = resolveOptions(resolveCredentials(flags));
  const v3 = resolved.v3;
  if (!v3?.apiv3Key) throw new InvalidOptionError('-k/--apiv3-key: the APIv3 key is needed to decrypt the certificates');
  const http = signedInstance(resolved.mchid, v3, sharedDefaults(resolved));
  const certificates: DownloadedCertificate[] = await new Deadline(DEFAULT_TIMEOUT_MS, 'GET v3/certificates').run((deadline) => downloadCertificates(http, v3.apiv3Key as Buffer, v3.keyring, { deadline, destination: destinationOf(resolved) }));
  mkdirSync(flags.output, { recursive: true });
  return certificates.map(({ serial, pem, key }) => {
    const file = join(flags.output, `wechatpay_${serial}.pem`);
    writeFileSync(file, pem);
    return { serial, file, validTo: key.validTo };
  });
}
