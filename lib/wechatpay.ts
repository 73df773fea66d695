import { destinationOf } from './attempts';
import { createChain, type ApiSender, type ChainNode } from './chain';
import { checkTimeout, Deadline, DEFAULT_TIMEOUT_MS } from './deadline';
import { resolveOptions, type WechatpayOptions } from './client-options';
import { InvalidOptionError } from './errors';
import { sharedDefaults } from './http-defaults';
import { lendKeys } from './v3/client-keys';
import { createV3Sender } from './v3/sender';
import type * as V2SenderModule from './v2/sender';
import type { Paths, Tree } from '../openapi/tree';

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
    const timeoutMs = checkTimeout(resolved.axiosDefaults.timeout, 'new Wechatpay()') ?? DEFAULT_TIMEOUT_MS;
    const missing = (api: string, needs: string): ApiSender => () => Promise.reject(new InvalidOptionError(`this client has no ${api} options: give ${needs}`));
    const destination = destinationOf(resolved);
    const v3Parts = resolved.v3 && createV3Sender(resolved.v3, defaults, timeoutMs, destination);
    const v3 = v3Parts ? v3Parts.send : missing('APIv3', 'serial, privateKey and certs');
    // APIv2 (its XML parser, its instance) is built on the first APIv2 call: most clients never make one.
    let v2Sender: ApiSender | undefined;
    const v2options = resolved.v2;
    const v2: ApiSender = v2options
      ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on the first APIv2 call, to keep require('wechatpay-ts') light
        (...call) => (v2Sender ??= (require('./v2/sender') as typeof V2SenderModule).createV2Sender(v2options, defaults, destination))(...call)
      : missing('APIv2', 'secret (and merchant for security calls)');
    const describe = () => `Wechatpay { mchid: '${resolved.mchid}', apis: '${[resolved.v3 && 'v3', resolved.v2 && 'v2'].filter(Boolean).join(', ')}', baseURL: '${resolved.baseURL}' }`;
    const client = createChain(
      (verb, template, callOptions) => {
        const api = template.source.startsWith('v2/') ? v2 : v3;
        return Deadline.of(callOptions, timeoutMs, `${verb.toUpperCase()} ${template.source}`).run((deadline) => api(verb, template, callOptions, deadline));
      },
      describe,
      Wechatpay.prototype,
    ) as Wechatpay;
    if (v3Parts) lendKeys(client, v3Parts.keys);
    return client;
  }
}

/**
 * The node `chain(path)` answers: typed when the catalogue knows `path` (with or without its
 * leading slash, variables as `{name}`), the untyped {@link ChainNode} otherwise.
 */
export type PathNode<P extends string> = P extends keyof Paths ? Paths[P] : P extends `/${infer Rest}` ? (Rest extends keyof Paths ? Paths[Rest] : ChainNode) : ChainNode;

/** `chain(path)` on the client: the catalogue's paths complete in editors, and any other path is accepted, untyped. */
export interface DeclaredPath {
  /** Descends by a whole path, verbatim, templates included. */
  <P extends keyof Paths | (string & NonNullable<unknown>)>(path: P): PathNode<P>;
}

// The client is the chain's root: the catalogue's tree (`wxpay.v3.pay…`) and its verbatim paths
// (`wxpay['v3/pay/…']`) typed, and every other name the untyped ChainNode, so a path the
// catalogue lacks still works.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Wechatpay extends Tree, Paths, ChainNode {
  /** `chain(path)`: descends by a whole path (or a tail of one), verbatim, templates included. */
  chain: DeclaredPath & ChainNode;
}
