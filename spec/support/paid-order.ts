import type { Wechatpay } from '../../lib';
import type { Sandbox } from '../../lib/sandbox';

/**
 * Places a Native order of ¥10 under `out_trade_no` (a direct merchant's, or `sub_mchid`'s
 * through the service provider), notified to `notifyUrl`, and has the sandbox's payer pay it;
 * answers its `transaction_id`.
 */
export async function paidNativeOrder(wxpay: Wechatpay, sandbox: Sandbox, notifyUrl: string, out_trade_no: string, sub_mchid?: string): Promise<string> {
  const fields = { description: 'tea', out_trade_no, notify_url: notifyUrl, amount: { total: 1000 } };
  if (sub_mchid === undefined) await wxpay.v3.pay.transactions.native.post({ json: { appid: 'wx1', mchid: sandbox.mchid, ...fields } });
  else await wxpay.v3.pay.partner.transactions.native.post({ json: { sp_appid: 'wxsp', sp_mchid: sandbox.mchid, sub_mchid, ...fields } });
  const { order } = await sandbox.pay(out_trade_no, { sub_mchid });
  return order.transaction_id ?? '';
}
