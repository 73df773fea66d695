import { X509Certificate } from 'node:crypto';
import { AesGcm } from '../crypto/aes-gcm';
import { Formatter } from '../formatter';
import type { Identity } from './pki';
import type { Route } from './routes';

/** What the certificate route reads from its sandbox. */
export interface CertificateRouteSource {
  /** The platform certificates currently issued (none in public-key mode). */
  certificates(): Identity[];
  apiv3Key: string;
}

function rfc3339(date: string): string {
  return new Date(date).toISOString().replace(/\.\d+Z$/, '+00:00');
}

/**
 * `GET /v3/certificates`, as the gateway answers it: every platform certificate, encrypted with
 * the APIv3 key (AEAD_AES_256_GCM, associated data `certificate`), with its serial and validity.
 * A merchant on the public-key scheme gets 404, as on the real gateway.
 */
export function certificateRoutes(source: CertificateRouteSource): Route[] {
  return [
    {
      method: 'GET',
      path: '/v3/certificates',
      handle: () => {
        const certificates = source.certificates();
        if (certificates.length === 0) return { status: 404, json: { code: 'RESOURCE_NOT_EXISTS', message: '无可用的平台证书，请使用微信支付公钥验签' } };
        return {
          json: {
            data: certificates.map((identity) => {
              const pem = identity.certificatePem ?? '';
              const x509 = new X509Certificate(pem);
              const nonce = Formatter.nonce(12);
              return {
                serial_no: identity.id,
                effective_time: rfc3339(x509.validFrom),
                expire_time: rfc3339(x509.validTo),
                encrypt_certificate: { algorithm: 'AEAD_AES_256_GCM', associated_data: 'certificate', nonce, ciphertext: AesGcm.encrypt(pem, source.apiv3Key, nonce, 'certificate') },
              };
            }),
          },
        };
      },
    },
  ];
}
