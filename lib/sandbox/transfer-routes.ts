import { checkFields, fieldError, type FieldRule } from './field-rules';
import { GatewayRefusal } from './gateway-refusal';
import type { Route, SandboxReply, SandboxRequest } from './routes';
import { paramError } from './routes';
import { decryptFields, type SensitiveRouteKeys } from './sensitive-routes';
import { transferAnswer, transferCancelAnswer, transferPlaced, type SandboxTransfer, type TransferBook, type TransferDraft } from './transfer-book';

const BASE = '/v3/fund-app/mch-transfer/transfer-bills';

/** The transfer scenes (转账场景) a bill may name. */
const SCENES = ['1000', '1002', '1004', '1005', '1009', '1010', '1011', '1013'];

/** The fields of each scene report (转账场景报备信息). */
const REPORT_INFO: readonly FieldRule[] = [
  { path: 'info_type', type: 'string', required: true, max: 15 },
  { path: 'info_content', type: 'string', required: true, max: 32 },
];

/** The fields of a transfer request, as the gateway checks them. */
const TRANSFER: readonly FieldRule[] = [
  { path: 'appid', type: 'string', required: true, max: 32 },
  { path: 'out_bill_no', type: 'string', required: true, pattern: /^[0-9A-Za-z]{1,32}$/ },
  { path: 'transfer_scene_id', type: 'string', required: true, pattern: new RegExp(`^(${SCENES.join('|')})$`) },
  { path: 'openid', type: 'string', required: true, max: 64 },
  { path: 'user_name', type: 'string', max: 1024 },
  { path: 'transfer_amount', type: 'integer', required: true, min: 1 },
  { path: 'transfer_remark', type: 'string', required: true, max: 32 },
  { path: 'notify_url', type: 'string', max: 256, pattern: /^https?:\/\/[^\s/?#]+[^\s]*$/ },
  { path: 'user_recv_perception', type: 'string', max: 32 },
  { path: 'transfer_scene_report_infos', type: 'array', required: true, min: 1, items: REPORT_INFO },
];

/** From this amount on (2,000 yuan, in fen), the payee's name must be given, for WeChat Pay to check it. */
const NAME_REQUIRED_FROM = 200_000;

/** The transfer a request asks for, checked, with `user_name` decrypted; or the gateway's 400 naming what is wrong. */
function draftOf(request: SandboxRequest, keys: SensitiveRouteKeys): TransferDraft | SandboxReply {
  const failure = checkFields(request.json, TRANSFER);
  if (failure) return failure;
  const body = request.json as TransferDraft;
  if (body.user_name === undefined) {
    return body.transfer_amount >= NAME_REQUIRED_FROM ? fieldError('user_name', `is required when transfer_amount is ${NAME_REQUIRED_FROM} (2,000 yuan) or more`) : { ...body };
  }
  const plain = decryptFields(request, keys, [['user_name', body.user_name]]);
  return typeof plain === 'string' ? paramError(plain) : { ...body, user_name: plain[0] };
}

/**
 * The merchant transfer routes (商家转账, the payee confirms) over `book`: `POST …/transfer-bills`,
 * its queries by `out_bill_no` and by `transfer_bill_no`, and `POST …/out-bill-no/{out_bill_no}/cancel`.
 * `user_name`, when given, must be encrypted to the platform key that `Wechatpay-Serial` names,
 * and is required from 2,000 yuan on. `cancelling` hears of each bill whose cancelling began, to end it from there.
 */
export function transferRoutes(book: TransferBook, keys: SensitiveRouteKeys, cancelling: (bill: SandboxTransfer) => void): Route[] {
  const notFound = new GatewayRefusal(404, 'NOT_FOUND', '记录不存在');
  return [
    {
      method: 'POST',
      path: BASE,
      handle: (request) => {
        const draft = draftOf(request, keys);
        if (!('out_bill_no' in draft)) return draft;
        const bill = book.place(draft);
        if (bill instanceof GatewayRefusal) return bill.reply();
        return { json: transferPlaced(bill) };
      },
    },
    {
      method: 'GET',
      path: `${BASE}/out-bill-no/{out_bill_no}`,
      handle: ({ params }) => {
        const bill = book.bill(params.out_bill_no);
        return bill ? { json: transferAnswer(bill) } : notFound.reply();
      },
    },
    {
      method: 'GET',
      path: `${BASE}/transfer-bill-no/{transfer_bill_no}`,
      handle: ({ params }) => {
        const bill = book.billByNo(params.transfer_bill_no);
        return bill ? { json: transferAnswer(bill) } : notFound.reply();
      },
    },
    {
      method: 'POST',
      path: `${BASE}/out-bill-no/{out_bill_no}/cancel`,
      handle: ({ params }) => {
        const bill = book.bill(params.out_bill_no);
        if (!bill) return notFound.reply();
        const started = book.cancel(bill);
        if (started instanceof GatewayRefusal) return started.reply();
        if (started) cancelling(bill);
        return { json: transferCancelAnswer(bill) };
      },
    },
  ];
}
