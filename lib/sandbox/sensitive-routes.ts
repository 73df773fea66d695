import { randomBytes } from 'node:crypto';
import { Rsa } from '../crypto/rsa';
import type { Identity } from './pki';
import { type Route, type SandboxRequest, paramError } from './routes';

/** The keys the sensitive-field routes decrypt and encrypt with. */
export interface SensitiveRouteKeys {
  /** The platform keys of the sandbox's mode: requests' sensitive fields are encrypted to one of these. */
  platformKeys(): Identity[];
  /** The merchant, whose public key answers' sensitive fields are encrypted to. */
  merchant: Identity;
}


/** Decrypts the named fields with the key the request's `Wechatpay-Serial` names, or says why it cannot. */
export function decryptFields(request: SandboxRequest, keys: SensitiveRouteKeys, fields: Array<[string, unknown]>): string | string[] {
  const serial = request.headers['wechatpay-serial'];
  const identity = keys.platformKeys().find((key) => typeof serial === 'string' && key.id === serial.toUpperCase());
  if (!identity) return `Wechatpay-Serial ${String(serial)} names no platform key of this gateway`;
  const plain: string[] = [];
  for (const [name, value] of fields) {
    try {
      plain.push(Rsa.decrypt(String(value), identity.privateKey));
    } catch {
      return `${name} does not decrypt with the platform key ${identity.id}`;
    }
  }
  return plain;
}

/**
 * Two routes for the sensitive-field round trip. APP pre-signing takes `real_identity` encrypted to
 * the platform key named in `Wechatpay-Serial` (400 PARAM_ERROR when the header or a field is
 * wrong); the complaint query answers with `payer_phone` encrypted to the merchant key.
 */
export function sensitiveRoutes(keys: SensitiveRouteKeys): Route[] {
  return [
    {
      method: 'POST',
      path: '/v3/credit-repayment/partner/contracts/app-presign',
      handle: (request) => {
        const identity = (request.json as { real_identity?: Record<string, unknown> } | undefined)?.real_identity;
        if (!identity) return paramError('real_identity is required');
        const plain = decryptFields(request, keys, [['real_identity.real_name', identity.real_name], ['real_identity.identity_id', identity.identity_id]]);
        if (typeof plain === 'string') return paramError(plain);
        return { json: { presign_token: `presign_${randomBytes(8).toString('hex')}`, redirect_service: 'WECHATPAY' } };
      },
    },
    {
      method: 'GET',
      path: '/v3/merchant-service/complaints-v2/{complaint_id}',
      handle: ({ params }) => ({
        json: {
          complaint_id: params.complaint_id,
          complaint_time: '2015-05-20T13:29:35.120+08:00',
          complaint_detail: '反馈一个重复扣费的问题',
          complaint_state: 'PENDING',
          complainted_mchid: '1900012181',
          payer_phone: Rsa.encrypt('13800138000', keys.merchant.publicKey),
          complaint_full_refunded: false,
          incoming_user_response: false,
          problem_description: '不满意商家服务',
          user_complaint_times: 1,
        },
      }),
    },
  ];
}
