// The resources notifications carry once decrypted, for the event types whose object no catalogue
// answer describes: declared here from WeChat Pay's notification pages, field notes in Chinese as
// the catalogue writes its own. Where one event carries a direct merchant's, a service provider's
// or another product's object, the type is their union, and a field only one of them has (`mchid`,
// `sp_mchid`, `combine_mchid`) tells them apart. Types only; nothing here runs.
import type { Endpoints } from '@wechatpay-ts/openapi-types/endpoints';

/** 订单金额, as a payment notification gives it. */
export interface PaymentAmount {
  /** 订单总金额，单位为分 */
  total: number;
  /** 用户实际支付金额，单位为分 */
  payer_total: number;
  /** 标价币种，境内商户为 CNY */
  currency: string;
  /** 用户支付币种 */
  payer_currency: string;
}

/** 优惠功能: one discount a payment used. */
export interface PaymentPromotion {
  /** 券ID */
  coupon_id: string;
  /** 优惠名称 */
  name?: string;
  /** 优惠范围：`GLOBAL` 全场代金券，`SINGLE` 单品优惠 */
  scope?: 'GLOBAL' | 'SINGLE';
  /** 优惠类型：`CASH` 充值型代金券，`NOCASH` 免充值型代金券 */
  type?: 'CASH' | 'NOCASH';
  /** 优惠券面额，单位为分 */
  amount: number;
  /** 活动ID */
  stock_id?: string;
  /** 微信出资，单位为分 */
  wechatpay_contribute?: number;
  /** 商户出资，单位为分 */
  merchant_contribute?: number;
  /** 其他出资，单位为分 */
  other_contribute?: number;
  /** 优惠币种 */
  currency?: string;
  /** 单品列表 */
  goods_detail?: Array<{
    /** 商品编码 */
    goods_id: string;
    /** 商品数量 */
    quantity: number;
    /** 商品单价，单位为分 */
    unit_price: number;
    /** 商品优惠金额，单位为分 */
    discount_amount: number;
    /** 商品备注 */
    goods_remark?: string;
  }>;
}

/** The fields every payment notification has, whoever the merchant. */
export interface PaymentFields {
  /** 商户订单号 */
  out_trade_no: string;
  /** 微信支付订单号 */
  transaction_id: string;
  /** 交易类型（`PAP`：委托代扣） */
  trade_type: 'JSAPI' | 'NATIVE' | 'APP' | 'MICROPAY' | 'MWEB' | 'FACEPAY' | 'PAP';
  /** 交易状态 */
  trade_state: 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';
  /** 交易状态描述 */
  trade_state_desc: string;
  /** 付款银行 */
  bank_type: string;
  /** 附加数据，下单时所传，原样返回 */
  attach?: string;
  /** 支付完成时间，rfc3339 格式 */
  success_time: string;
  /** 订单金额 */
  amount: PaymentAmount;
  /** 场景信息 */
  scene_info?: {
    /** 商户端设备号 */
    device_id?: string;
  };
  /** 优惠功能，享受优惠时返回 */
  promotion_detail?: PaymentPromotion[];
}

/** A direct merchant's payment (普通支付通知, 直连商户委托代扣). */
export interface DirectTransactionResource extends PaymentFields {
  /** 应用ID */
  appid: string;
  /** 直连商户号 */
  mchid: string;
  /** 支付者 */
  payer: {
    /** 用户在直连商户 appid 下的唯一标识 */
    openid: string;
  };
}

/** A payment a service provider took for a sub-merchant (服务商支付通知, 服务商委托代扣). */
export interface PartnerTransactionResource extends PaymentFields {
  /** 服务商应用ID */
  sp_appid: string;
  /** 服务商户号 */
  sp_mchid: string;
  /** 子商户应用ID */
  sub_appid?: string;
  /** 子商户号 */
  sub_mchid: string;
  /** 支付者 */
  payer: {
    /** 用户在服务商 appid 下的唯一标识 */
    sp_openid: string;
    /** 用户在子商户 appid 下的唯一标识 */
    sub_openid?: string;
  };
}

/**
 * A combined payment (合单支付通知), as the combine order query answers it (`combine_out_trade_no`
 * and `sub_orders`) less `combine_transaction_id`, which the notification does not carry.
 */
export type CombineTransactionResource = Omit<Endpoints['v3/combine-transactions/out-trade-no/{combine_out_trade_no}']['get']['data'], 'combine_transaction_id'>;

/** `TRANSACTION.SUCCESS`: a direct merchant's, a service provider's or a combined payment. */
export type TransactionResource = DirectTransactionResource | PartnerTransactionResource | CombineTransactionResource;

/** `TRANSACTION.FAIL`: a deduction (委托代扣) that failed: a payment's fields, the success time only where the gateway has one. */
export type FailedTransactionResource = (Omit<DirectTransactionResource, 'success_time'> | Omit<PartnerTransactionResource, 'success_time'>) & {
  /** 支付完成时间 */
  success_time?: string;
};

/** The fields of every refund notification. */
export interface RefundFields {
  /** 商户订单号 */
  out_trade_no: string;
  /** 微信支付订单号 */
  transaction_id: string;
  /** 商户退款单号 */
  out_refund_no: string;
  /** 微信支付退款单号 */
  refund_id: string;
  /** 退款状态：`SUCCESS` 退款成功，`CLOSED` 退款关闭，`ABNORMAL` 退款异常 */
  refund_status: 'SUCCESS' | 'CLOSED' | 'ABNORMAL';
  /** 退款成功时间，退款成功时返回 */
  success_time?: string;
  /** 退款入账账户，如“招商银行信用卡0403”“支付用户零钱” */
  user_received_account: string;
  /** 金额信息 */
  amount: {
    /** 订单总金额，单位为分 */
    total: number;
    /** 退款金额，单位为分 */
    refund: number;
    /** 用户实际支付金额，单位为分 */
    payer_total: number;
    /** 退款给用户的金额，不含优惠券金额，单位为分 */
    payer_refund: number;
  };
}

/** A direct merchant's refund. */
export interface DirectRefundResource extends RefundFields {
  /** 直连商户号 */
  mchid: string;
}

/** A refund a service provider or platform (电商收付通) made for a sub-merchant. */
export interface PartnerRefundResource extends RefundFields {
  /** 服务商户号 */
  sp_mchid: string;
  /** 子商户号 */
  sub_mchid: string;
  /** 垫付退款的出资方（电商平台垫资退款） */
  refund_account?: 'REFUND_SOURCE_PARTNER_ADVANCE' | 'REFUND_SOURCE_SUB_MERCHANT';
  /** 个人收款方受理授权ID（个人收款） */
  individual_auth_id?: string;
}

/** `REFUND.SUCCESS`, `REFUND.ABNORMAL`, `REFUND.CLOSED`: a direct merchant's or a service provider's refund. */
export type RefundResource = DirectRefundResource | PartnerRefundResource;

/** The fields of every profit-sharing notification (分账动账通知). */
export interface ProfitSharingFields {
  /** 微信支付订单号 */
  transaction_id: string;
  /** 微信分账或回退单号 */
  order_id: string;
  /** 商户分账或回退单号 */
  out_order_no: string;
  /** 分账接收方 */
  receiver: {
    /** 接收方类型：`MERCHANT_ID` 商户号，`PERSONAL_OPENID` 个人 openid */
    type: 'MERCHANT_ID' | 'PERSONAL_OPENID';
    /** 接收方账号 */
    account: string;
    /** 分账动账金额，单位为分 */
    amount: number;
    /** 分账或回退描述 */
    description: string;
  };
  /** 成功时间 */
  success_time: string;
}

/** `PROFITSHARING`, `PROFITSHARING_RETURN`: a direct merchant's or a service provider's profit sharing. */
export type ProfitSharingResource = (ProfitSharingFields & {
  /** 直连商户号 */
  mchid: string;
}) | (ProfitSharingFields & {
  /** 服务商户号 */
  sp_mchid: string;
  /** 子商户号 */
  sub_mchid: string;
});

/** `COMPLAINT.CREATE`, `COMPLAINT.STATE_CHANGE`: which complaint, and what happened to it; query it for the rest. */
export interface ComplaintResource {
  /** 投诉单号 */
  complaint_id: string;
  /** 触发本次通知的动作类型 */
  action_type:
    | 'CREATE_COMPLAINT'
    | 'CONTINUE_COMPLAINT'
    | 'USER_RESPONSE'
    | 'RESPONSE_BY_PLATFORM'
    | 'SELLER_REFUND'
    | 'MERCHANT_RESPONSE'
    | 'MERCHANT_CONFIRM_COMPLETE'
    | 'USER_APPLY_PLATFORM_SERVICE'
    | 'USER_CANCEL_PLATFORM_SERVICE'
    | 'PLATFORM_SERVICE_FINISHED'
    | 'MERCHANT_APPROVE_REFUND'
    | 'MERCHANT_REJECT_REFUND'
    | 'REFUND_SUCCESS';
}

/** `MALL_AUTH.ACTIVATE_CARD`: a shopper opened the mall's member card (会员积分服务授权). */
export interface MallAuthorizationResource {
  /** 商圈商户号 */
  mchid: string;
  /** 顾客在商圈小程序下的 openid */
  openid: string;
  /** 商圈会员卡 code */
  code: string;
  /** 授权类型：`REGISTERED_MODE` 仅开卡，`REGISTERED_AND_AUTHORIZATION_MODE` 开卡并授权积分服务 */
  auth_type: 'REGISTERED_MODE' | 'REGISTERED_AND_AUTHORIZATION_MODE';
}

/** The shop and shopper a mall (智慧商圈) notification is about. */
export interface MallShopFields {
  /** 商户号 */
  mchid: string;
  /** 商圈商户名称 */
  merchant_name: string;
  /** 门店名称 */
  shop_name: string;
  /** 门店编号 */
  shop_number: string;
  /** 顾客授权积分时所用小程序的 AppID */
  appid: string;
  /** 顾客在该小程序下的 openid */
  openid: string;
  /** 微信支付订单号 */
  transaction_id: string;
}

/** `MALL_TRANSACTION.SUCCESS`: a shopper paid in a mall shop (商圈支付结果). */
export interface MallTransactionResource extends MallShopFields {
  /** 交易完成时间 */
  time_end: string;
  /** 用户实际消费金额，单位为分 */
  amount: number;
  /** 手动提交积分标记，自动提交时没有 */
  commit_tag?: string;
}

/** `MALL_REFUND.SUCCESS`: a mall shop refunded a shopper (商圈退款成功). */
export interface MallRefundResource extends MallShopFields {
  /** 微信支付退款单号 */
  refund_id: string;
  /** 退款完成时间 */
  refund_time: string;
  /** 用户实际消费金额，单位为分 */
  pay_amount: number;
  /** 退款金额，单位为分 */
  refund_amount: number;
}

/** `ECOMMERCE_ENTRUST.SIGN`, `ECOMMERCE_ENTRUST.TERMINATE`: a combined-deduction contract (收付通合单代扣) signed or ended. */
export interface EcommerceEntrustResource {
  /** 商户号 */
  mchid: string;
  /** 应用ID */
  appid: string;
  /** 用户在 appid 下的 openid */
  openid: string;
  /** 委托代扣协议模板ID */
  plan_id: number;
  /** 商户签约协议号 */
  out_contract_code: string;
  /** 委托代扣协议ID */
  contract_id?: string;
  /** 操作时间 */
  operate_time: string;
  /** 协议到期时间（签约时） */
  contract_expired_time?: string;
  /** 解约方式（解约时） */
  contract_termination_mode?: 'USER_TERMINATE' | 'MCH_API_TERMINATE' | 'WEPAY_WEB_TERMINATE' | 'CUSTOMER_SERVICE_TERMINATE' | 'SYSTEM_TERMINATE';
  /** 附加数据 */
  attach?: string;
}

/** `ENTRUST.TERMINATE_RETENTION`: a user is ending a deduction contract; the answer may offer them a reason to stay (解约挽留). */
export interface TerminationRetentionResource {
  /** 商户号 */
  mchid: string;
  /** 应用ID */
  appid: string;
  /** 用户在 appid 下的 openid */
  openid: string;
  /** 委托代扣协议ID */
  contract_id: string;
  /** 委托代扣协议模板ID */
  plan_id: number;
  /** 商户签约协议号 */
  out_contract_code: string;
}

/** `COUPON.SEND`: a user received a merchant coupon (商家券). */
export interface CouponSendResource {
  /** 业务细分事件类型 */
  event_type?: 'EVENT_TYPE_BUSICOUPON_SEND';
  /** 券code */
  coupon_code: string;
  /** 批次号 */
  stock_id: string;
  /** 发放时间 */
  send_time: string;
  /** 用户在 appid 下的 openid */
  openid?: string;
  /** 用户 unionid */
  unionid?: string;
  /** 发放渠道，如 `BUSICOUPON_SEND_CHANNEL_MINIAPP`、`BUSICOUPON_SEND_CHANNEL_PAYGIFT` */
  send_channel: string;
  /** 发券商户号 */
  send_merchant: string;
  /** 发券附加信息，仅支付有礼、营销馆、会员有礼渠道有 */
  attach_info?: {
    /** 支付有礼的支付订单号 */
    transaction_id?: string;
    /** 营销馆领券活动ID */
    act_code?: string;
    /** 营销馆ID */
    hall_code?: string;
    /** 营销馆所属商户号 */
    hall_belong_mch_id?: number;
    /** 会员卡ID */
    card_id?: string;
    /** 会员卡 code */
    code?: string;
    /** 会员有礼活动ID */
    activity_id?: string;
  };
}

/** The fields of every pay-score authorization notification (授权/解除授权服务回调). */
export interface PayscorePermissionFields {
  /** 服务ID */
  service_id: string;
  /** 回调状态：`USER_OPEN_SERVICE` 授权成功，`USER_CLOSE_SERVICE` 解除授权成功 */
  user_service_status?: 'USER_OPEN_SERVICE' | 'USER_CLOSE_SERVICE';
  /** 服务开启或解除授权的时间 */
  openorclose_time?: string;
  /** 授权协议号，预授权时返回 */
  authorization_code?: string;
  /** 商户授权请求号，授权时传了才返回 */
  out_request_no?: string;
}

/** `PAYSCORE.USER_OPEN_SERVICE`, `PAYSCORE.USER_CLOSE_SERVICE`: a user granted or withdrew pay-score authorization, for a direct merchant or a service provider. */
export type PayscorePermissionResource = (PayscorePermissionFields & {
  /** 直连商户号 */
  mchid: string;
  /** 应用ID */
  appid: string;
  /** 用户在 appid 下的 openid */
  openid: string;
}) | (PayscorePermissionFields & {
  /** 服务商商户号 */
  mch_id: string;
  /** 子商户号 */
  sub_mch_id: string;
  /** 服务商应用ID */
  appid: string;
  /** 子商户应用ID */
  sub_appid?: string;
  /** 用户在服务商 appid 下的 openid */
  openid?: string;
  /** 用户在子商户 appid 下的 openid */
  sub_openid?: string;
});

/** `MEMBERCARD.ACCEPT_CARD`, `.ACTIVATE_CARD`, `.USERCARD_MANAGE`: what a user did with a member card (会员卡). */
export interface MemberCardEventResource {
  /** 事件类型，如 `MEMBER_CARD_ACTIVATE`、`USER_DELETE_MEMBERCARD` */
  event_type: string;
  /** 事件时间 */
  event_time: string;
  /** 会员卡ID */
  card_id: string;
  /** 会员卡 code */
  code?: string;
  /** 用户标识 */
  openid: string;
  /** 用户统一标识 */
  unionid?: string;
  /** 激活场景：`NEW_ACTIVATE` 新激活，`RECOVER` 恢复（激活时） */
  activate_scene?: 'NEW_ACTIVATE' | 'RECOVER';
  /** 自定义场景值 */
  outer_str?: string;
  /** 加密的手机号（手机号领卡时） */
  phone_number?: string;
}

/** The fields of every cross-border deduction contract notification (跨境委托代扣签约、解约). */
export interface GlobalPapayContractFields {
  /** 委托代扣协议ID */
  contract_id: string;
  /** 委托代扣协议模板ID */
  plan_id: number;
  /** 商户签约协议号 */
  out_contract_code: string;
  /** 操作时间 */
  operate_time: string;
  /** 协议到期时间 */
  contract_expired_time?: string;
  /** 解约方式（解约时）：`USER` 用户，`MERCHANT` 商户，`PLATFORM` 平台 */
  contract_termination_mode?: 'USER' | 'MERCHANT' | 'PLATFORM';
}

/** `PAPAY.SIGN`, `PAPAY.TERMINATE`: a cross-border deduction contract signed or ended, for a merchant or an institution (机构). */
export type GlobalPapayContractResource = (GlobalPapayContractFields & {
  /** 商户号 */
  mchid: string;
  /** 应用ID */
  appid: string;
  /** 用户在 appid 下的 openid */
  openid: string;
}) | (GlobalPapayContractFields & {
  /** 机构商户号 */
  sp_mchid: string;
  /** 机构应用ID */
  sp_appid: string;
  /** 子商户号 */
  sub_mchid: string;
  /** 子商户应用ID */
  sub_appid?: string;
  /** 用户在机构 appid 下的 openid */
  openid?: string;
  /** 用户在机构 appid 下的 openid */
  sp_openid?: string;
  /** 用户在子商户 appid 下的 openid */
  sub_openid?: string;
});

/** `FACEPAY.USER_STATE_CHANGE`: a face-payment user's contract changed (离线刷脸签约状态变更). */
export interface FacepayUserStateResource {
  /** 商户号 */
  mch_id: string;
  /** 应用ID */
  appid: string;
  /** 用户在 appid 下的 openid */
  openid: string;
  /** 机构ID */
  organization_id: string;
  /** 微信刷脸用户ID */
  user_id: string;
  /** 商户刷脸用户ID */
  out_user_id: string;
  /** 签约ID */
  contract_id: string;
  /** 通知创建时间 */
  notify_create_time: string;
}

/** The provider, paying sub-merchant and card of every enterprise quota card notification (企业支付额度卡). */
export interface QuotaCardFields {
  /** 服务商商户号 */
  sp_mchid: string;
  /** 出资子商户号 */
  sub_mchid: string;
  /** 额度卡卡号 */
  card_no: string;
  /** 微信授权关系ID */
  employee_id: string;
}

/** `WEBIZPAY.QUOTACARDEXPIRED`: a quota card stopped working. */
export interface QuotaCardExpiredResource extends QuotaCardFields {
  /** 卡片状态 */
  card_state: 'ACTIVE' | 'DISABLED';
  /** 卡片失效时间 */
  card_disabled_time: string;
  /** 失效原因 */
  reason?: string;
}

/** `WEBIZPAY.PAYMENTSUCCESS`: an employee paid with a quota card. */
export interface QuotaCardPaymentResource extends QuotaCardFields {
  /** 收款商户简称 */
  receive_mch_name: string;
  /** 收款商户全称 */
  receive_mch_full_name: string;
  /** 收款商户统一社会信用代码 */
  receive_mch_organization_code: string;
  /** 收单机构 */
  acquirer: string;
  /** 微信支付订单号 */
  transaction_id: string;
  /** 商户订单号 */
  out_trade_no: string;
  /** 微信支付退款单号 */
  refund_id?: string;
  /** 商户退款单号 */
  out_refund_no?: string;
  /** 交易状态 */
  transaction_state: 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';
  /** 金额，单位为分 */
  amount: number;
  /** 商品名称 */
  goods_name: string;
  /** 支付完成时间 */
  pay_success_time: string;
}

/** `WEBIZPAY.PAYMENTREFUNDSUCCESS`: a quota card payment was refunded. */
export interface QuotaCardRefundResource extends QuotaCardFields {
  /** 微信支付订单号 */
  transaction_id: string;
  /** 商户订单号 */
  out_trade_no: string;
  /** 微信支付退款单号 */
  refund_id: string;
  /** 商户退款单号 */
  out_refund_no: string;
  /** 支付金额，单位为分 */
  amount: number;
  /** 支付完成时间 */
  pay_success_time: string;
  /** 已退款金额，单位为分 */
  refunded_amount: number;
  /** 本次退款金额，单位为分 */
  refund_amount: number;
  /** 退款状态 */
  refund_state: 'SUCCESS';
  /** 退款创建时间 */
  refund_create_time: string;
  /** 退款成功时间 */
  refund_success_time: string;
}

/** `WEBIZPAY.AUTHORIZED`: an employee authorized enterprise payment (关系授权完成). */
export interface EmployeeAuthorizedResource {
  /** 服务商商户号 */
  sp_mchid: string;
  /** 出资子商户号 */
  sub_mchid: string;
  /** 企业员工ID */
  user_id: string;
  /** 微信授权关系ID */
  employee_id: string;
  /** 授权时间 */
  authorization_time: string;
}

/** `WEBIZPAY.REVOKED`: an employee's enterprise payment authorization ended (关系解除授权). */
export interface EmployeeRevokedResource {
  /** 服务商商户号 */
  sp_mchid: string;
  /** 出资子商户号 */
  sub_mchid: string;
  /** 企业员工ID */
  user_id: string;
  /** 员工企业支付权限状态 */
  authorization_state: 'AUTHORIZED' | 'REVOKED';
  /** 授权解除时间 */
  authorization_revoked_time: string;
  /** 授权解除原因，如“企业发起”“员工注销” */
  reason: string;
}

/** `MCHTRANSFER.BILL.FINISHED`: a transfer bill (商家转账) reached its final state. */
export interface TransferBillResource {
  /** 商户号 */
  mch_id: string;
  /** 商户单号 */
  out_bill_no: string;
  /** 微信转账单号 */
  transfer_bill_no: string;
  /** 单据终态：`SUCCESS` 转账成功，`FAIL` 转账失败，`CANCELLED` 已撤销 */
  state: 'SUCCESS' | 'FAIL' | 'CANCELLED';
  /** 转账金额，单位为分 */
  transfer_amount: number;
  /** 收款用户 openid */
  openid: string;
  /** 失败原因，转账失败时返回 */
  fail_reason?: string;
  /** 单据创建时间 */
  create_time: string;
  /** 最后一次状态变更时间 */
  update_time: string;
}

/** `PAYSCORE.USER_SIGN_PLAN`, `PAYSCORE.USER_CANCEL_SIGN_PLAN`: a user's pay-score plan, as the plan query answers it, a direct merchant's or a service provider's. */
export type SignPlanResource =
  | Endpoints['v3/payscore/sign-plan/user-sign-plans/merchant-sign-plan-no/{merchant_sign_plan_no}']['get']['data']
  | Endpoints['v3/payscore/sign-plan/partner/user-sign-plans/merchant-sign-plan-no/{merchant_sign_plan_no}']['get']['data'];

/** `PAYSCORE.USER_CONFIRM`, `PAYSCORE.USER_PAID`: a pay-score service order, as the order query answers it, a direct merchant's or a service provider's. */
export type ServiceOrderResource = Endpoints['v3/payscore/serviceorder']['get']['data'] | Endpoints['v3/payscore/partner/serviceorder']['get']['data'];

/** `MCHWITHDRAW.CHANGE`: a withdrawal, as its query answers it: the platform's own, a sub-merchant's, or a sub-merchant's by day-end balance. */
export type WithdrawalResource =
  | Endpoints['v3/merchant/fund/withdraw/out-request-no/{out_request_no}']['get']['data']
  | Endpoints['v3/ecommerce/fund/withdraw/out-request-no/{out_request_no}']['get']['data']
  | Endpoints['v3/platsolution/ecommerce/withdraw/day-end-balance-withdraw/out-request-no/{out_request_no}']['get']['data'];
