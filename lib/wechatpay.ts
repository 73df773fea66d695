import type { AxiosResponse } from 'axios';
import { createChain, type Callback, type Sender } from './chain';
import { resolveOptions, type WechatpayOptions } from './client-options';
import type { RequestOptions } from './request-options';
import { ErrorCode, OptionError } from './errors';
import { sharedDefaults } from './http-defaults';
import { createV2Sender } from './v2/sender';
import { createV3Sender } from './v3/sender';

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
    const defaults = sharedDefaults(resolved);
    const missing = (api: string, needs: string): Sender => () => Promise.reject(new OptionError(`this client has no ${api} options: give ${needs}`, ErrorCode.INVALID_OPTION));
    const v3 = resolved.v3 ? createV3Sender(resolved.mchid, resolved.v3, defaults) : missing('APIv3', 'serial, privateKey and certs');
    const v2 = resolved.v2 ? createV2Sender(resolved.mchid, resolved.v2, defaults) : missing('APIv2', 'secret (and merchant for security calls)');
    const describe = () => `Wechatpay { mchid: '${resolved.mchid}', apis: '${[resolved.v3 && 'v3', resolved.v2 && 'v2'].filter(Boolean).join(', ')}', baseURL: '${resolved.baseURL}' }`;
    return createChain(
      (verb, template, callOptions) => (template.source.startsWith('v2/') ? v2 : v3)(verb, template, callOptions),
      describe,
      Wechatpay.prototype,
    ) as Wechatpay;
  }
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface Wechatpay extends ChainNode {}
