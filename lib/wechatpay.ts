import type { AxiosResponse, Method } from 'axios';
import { createChain, type Callback } from './chain';
import { resolveOptions, type WechatpayOptions } from './client-options';
import { toAxiosConfig, type RequestOptions } from './request-options';
import { createV3Client } from './v3/client';
import { prepareSensitiveCall } from './v3/sensitive-call';

/**
 * A point in the URL path. Any property is the next segment (`get`, `post`, `put`, `patch`,
 * `delete` and `chain` too); calling a verb node sends that verb on its parent's path,
 * calling a `chain` node descends by a whole path.
 */
export interface ChainNode {
  /** `chain(path)`: descends by a whole path (or a tail of one), verbatim, templates included. */
  (path: string): ChainNode;
  /** A verb: sends the call and resolves to the verified axios response. */
  (options?: RequestOptions): Promise<AxiosResponse<unknown>>;
  /** A verb with a node-style callback: returns undefined and calls back exactly once. */
  (options: RequestOptions | undefined, callback: Callback): void;
  /** A verb with only a callback. */
  (callback: Callback): void;
  [segment: string]: ChainNode;
}

/**
 * The WeChat Pay client. Its properties are the URL path, written as code; its verbs sign the
 * request, send it, and verify the answer before handing it back.
 *
 * @example
 * ```ts
 * const wxpay = new Wechatpay({ mchid, serial, privateKey: 'file:///keys/apiclient_key.pem', certs });
 * const { data } = await wxpay.v3.creditRepayment.partner.contracts.terminate.post({
 *   json: { out_contract_code: '100001256', contract_termination_remark: 'remark' },
 * });
 * await wxpay.chain('v3/credit-repayment/partner/contracts/{out_contract_code}').get({ out_contract_code: '100001256' });
 * ```
 */
// The constructor returns the chain's root Proxy; the interface below gives it its shape.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Wechatpay {
  /**
   * Checks every option and loads every key once; a missing or unusable option throws an
   * {@link OptionError} that names it.
   */
  constructor(options: WechatpayOptions) {
    const resolved = resolveOptions(options);
    const v3 = createV3Client(resolved);
    const describe = () => `Wechatpay { mchid: '${resolved.mchid}', serial: '${resolved.serial}', baseURL: '${resolved.baseURL}' }`;
    const sensitiveKeys = { keys: resolved.keys, preferredId: resolved.responseKeyId, privateKey: resolved.privateKey };
    return createChain(
      (verb, template, callOptions) => {
        const call = prepareSensitiveCall(callOptions, sensitiveKeys);
        return v3.request(toAxiosConfig(verb as Method, template, call.options)).then((response) => call.finish(response));
      },
      describe,
      Wechatpay.prototype,
    ) as Wechatpay;
  }
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface Wechatpay extends ChainNode {}
