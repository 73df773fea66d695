// Corrections to the vendored catalogue, applied as each of its files is read: the places where
// the catalogue contradicts WeChat Pay's official documentation and the gateway's behaviour, so
// that the generated types, reference pages and sandbox answer as the gateway does. The files in
// catalogue/ stay as copied; each correction names the file, the JSON pointer it replaces and why.

/** One correction: the value at `pointer` (RFC 6901) in the catalogue file `file` becomes `value`. */
export interface Erratum {
  /** The file, relative to the catalogue root, with `/` separators. */
  file: string;
  /** Where in the file, as an RFC 6901 JSON pointer: `/get/responses/200/schema/properties/state/enum`. */
  pointer: string;
  value: unknown;
  /** What the catalogue says, and what the documentation says instead. */
  why: string;
}

const SHARING_QUERY = 'v3/profitsharing/orders/{out_order_no}.yaml';
const SHARING_QUERY_RECEIVER = '/get/responses/200/schema/properties/receivers/items/properties';

/** The reasons a share fails (分账失败原因), as the catalogue lists them under the request's answer, with their meanings. */
const SHARE_FAILURES = {
  enum: ['ACCOUNT_ABNORMAL', 'NO_RELATION', 'RECEIVER_HIGH_RISK', 'RECEIVER_REAL_NAME_NOT_VERIFIED', 'NO_AUTH', 'RECEIVER_RECEIPT_LIMIT', 'PAYER_ACCOUNT_ABNORMAL', 'INVALID_REQUEST'],
  'x-enum-meanings': ['分账接收账户异常', '分账关系已解除', '高风险接收方', '接收方未实名', '分账权限已解除', '超出用户月收款限额', '分出方账户异常', '描述参数设置失败'],
};

/** Every correction, by file. An enum is replaced with its whole schema, so that the meanings beside its values move with them. */
export const ERRATA: readonly Erratum[] = [
  {
    file: SHARING_QUERY,
    pointer: '/get/responses/200/schema/properties/state',
    value: { type: 'string', description: '分账单状态', example: 'FINISHED', enum: ['PROCESSING', 'FINISHED'], 'x-enum-meanings': ['处理中', '分账完成'] },
    why: "查询分账结果: the order's state is PROCESSING or FINISHED (its own example says FINISHED); the catalogue lists the receivers' results here",
  },
  {
    file: SHARING_QUERY,
    pointer: `${SHARING_QUERY_RECEIVER}/result`,
    value: { type: 'string', description: '分账结果', example: 'SUCCESS', enum: ['PENDING', 'SUCCESS', 'CLOSED'], 'x-enum-meanings': ['待分账', '分账成功', '已关闭'] },
    why: "查询分账结果: a receiver's result is PENDING, SUCCESS or CLOSED (its own example says SUCCESS); the catalogue lists the failure reasons here",
  },
  {
    file: SHARING_QUERY,
    pointer: `${SHARING_QUERY_RECEIVER}/fail_reason`,
    value: { type: 'string', description: '分账失败原因', example: 'ACCOUNT_ABNORMAL', ...SHARE_FAILURES },
    why: '查询分账结果: the failure reasons belong to fail_reason, as in the answer of 请求分账',
  },
  {
    file: 'v3/profitsharing/orders/unfreeze.yaml',
    pointer: '/post/responses/200/schema/properties/receivers/items/required',
    value: ['amount', 'description', 'type', 'account', 'result', 'create_time', 'finish_time'],
    why: '解冻剩余资金: fail_reason comes only with a receiver that failed (CLOSED), as in the answers of 请求分账 and 查询分账结果; the catalogue requires it of every receiver',
  },
  {
    file: 'definitions/Transaction.yaml',
    pointer: '/PayerServiceProvider/required',
    value: [],
    why: "JSAPI下单 (服务商): the payer is named by sp_openid (under sp_appid) or by sub_openid (under sub_appid, then required), either one alone; the catalogue requires sp_openid, so a sub-merchant's own app's order did not compile. The partner order's query answers carry the same payer",
  },
];

/** The keys of an RFC 6901 pointer, unescaped. */
function keysOf(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Applies the errata of `file` (relative to the catalogue root) to its parsed data, in place, and
 * returns it. Throws when an erratum's pointer no longer leads anywhere, or when the catalogue
 * already says what the erratum would: a newer snapshot changed that place, and the erratum must
 * be looked at again.
 */
export function applyErrata<T>(file: string, data: T, errata: readonly Erratum[] = ERRATA): T {
  for (const erratum of errata.filter((candidate) => candidate.file === file)) {
    const keys = keysOf(erratum.pointer);
    const last = keys.pop() ?? '';
    let parent: unknown = data;
    for (const key of keys) parent = parent !== null && typeof parent === 'object' ? (parent as Record<string, unknown>)[key] : undefined;
    if (parent === null || typeof parent !== 'object' || !(last in parent)) throw new Error(`erratum ${file}#${erratum.pointer}: the catalogue has nothing there any more; look at the erratum again`);
    const target = parent as Record<string, unknown>;
    if (JSON.stringify(target[last]) === JSON.stringify(erratum.value)) throw new Error(`erratum ${file}#${erratum.pointer}: the catalogue already says so; remove the erratum`);
    target[last] = erratum.value;
  }
  return data;
}
