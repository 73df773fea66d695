import { X509Certificate } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { TLSSocket } from 'node:tls';
import { inspect } from 'node:util';
import { InvalidArgumentError } from '../errors';
import { IDLE_SOCKET_MS } from '../http-defaults';
import { signAnswer } from './answer-signing';
import { answerV3, checkV3Request } from './v3-gateway';
import { checkNotification, postNotification, type NotificationAnswer, type NotificationEvent } from './notifications';
import { PaymentFlows, type CombinedPaymentOutcome, type PaymentFlowOptions, type PaymentOutcome, type RefundOutcome } from './payment-flows';
import { checkStartOptions, type SandboxMode, type SandboxOptions } from './start-options';
import { TransferFlows, type TransferFlowOptions, type TransferOutcome } from './transfer-flows';
import type { TransferOutcomeState } from './transfer-book';
import type { SharingAnswer, SharingReturnAnswer } from './profit-sharing-answers';
import type { PaymentOutcomeState } from './trade-ledger';
import { readBody } from './read-body';
import { BillBook, isStreamedReply, sendStreamed } from './bill-routes';
import { contractRoutes } from './contracts';
import { echoRoutes } from './echo-routes';
import { sensitiveRoutes } from './sensitive-routes';
import { mediaRoutes } from './media-routes';
import { certificateRoutes } from './certificate-routes';
import { catalogueRoutes, catalogueRouteV2 } from './catalogue-routes';
import { checkFault, checkNotificationFault, connectionFault, endAnswer, type Fault } from './faults';
import { buildPfx } from './pkcs12';
import { issuePlatformCertificate, LOOPBACK, sandboxKeys, type Keys } from './keys';
import type { Identity } from './pki';
import { checkRoute, compileRoute, type CompiledRoute, type Route, type SandboxReply } from './routes';
import { checkV2Request, replaceV2Answer, signedV2Answer, v2Failure, type V2Merchant } from './v2-gateway';
import { paymentRoutesV2 } from './v2-payment-routes';
import { checkV2Route, isRawReply, needsMutualTls, type V2Peer, type V2RawReply, type V2Route } from './v2-routes';

/** A request the sandbox received, as it came over the wire. */
export interface ReceivedRequest {
  method: string;
  target: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Whether its Authorization verified (APIv3); whether its `sign`, and the client certificate where needed, verified (APIv2). */
  authorized: boolean;
  /** Which API the sandbox took it for: APIv3 for `/v3/…`, `/hk/v3/…`, `/global/v3/…` and `route()` paths, else APIv2. */
  api: 'v3' | 'v2';
}

/**
 * The options `new Wechatpay()` needs to talk to a sandbox over both APIs: the APIv3 keys, the
 * APIv2 key, the merchant certificate for `/secapi/…` calls and, in TLS mode, an agent that
 * trusts the sandbox CA.
 */
export interface SandboxClientOptions {
  mchid: string;
  serial: string;
  privateKey: string;
  certs: Record<string, string>;
  baseURL: string;
  secret: string;
  merchant: SandboxTlsIdentity;
  /** In TLS mode: trusts {@link Sandbox.caCertificatePem}, keeps connections alive; destroyed by `close()`. */
  httpsAgent?: HttpsAgent;
}

/** The merchant's certificate and key for mutual TLS, PEM, as node:tls and `new Wechatpay({ merchant })` take them. */
export interface SandboxTlsIdentity {
  cert: string;
  key: string;
}

/** APIv3 paths; every other path is APIv2 unless a `route()` claims it. */
const V3_PATH = /^\/(?:hk\/|global\/)?v3\//;

/**
 * What nginx in front of the real gateway answers when mutual TLS fails: a 400 HTML page, not
 * APIv2 XML (reported e.g. in binarywang/weixin-java-pay-demo#60). Clients see it as an HTTP error.
 */
function tlsRefusal(reason: 'No required SSL certificate was sent' | 'The SSL certificate error'): V2RawReply {
  const html = `<html>\r\n<head><title>400 ${reason}</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>${reason}</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  return { raw: Buffer.from(html), contentType: 'text/html', status: 400 };
}

/**
 * A local WeChat Pay gateway on loopback, for tests and offline development, speaking both APIs.
 *
 * APIv3 (paths under `/v3/`, `/hk/v3/`, `/global/v3/`, and any path given to `route()`): it
 * verifies each request's Authorization exactly as the gateway does (401 `SIGN_ERROR`
 * otherwise), answers with responses signed by a platform certificate or public key, serves the
 * credit-repayment contract endpoints and a merchant's flows: orders and combined orders,
 * refunds, their notifications and each day's trade bill (see {@link Sandbox.pay} and
 * {@link Sandbox.payCombined}), profit sharing ({@link Sandbox.profitSharingSettled}) and
 * transfers ({@link Sandbox.confirmTransfer}); and takes more routes.
 *
 * APIv2 (every other path): XML bodies whose `mch_id` and `sign` (MD5, or HMAC-SHA256 on
 * `sign_type=HMAC-SHA256`, under {@link Sandbox.apiv2Secret}) it checks, answering an unsigned
 * `return_code` FAIL otherwise (`签名错误` for a bad sign); answers signed the same way. It serves
 * `/pay/micropay`, `/secapi/pay/refund` (mutual TLS: start with `tls: true`) and
 * `/pay/downloadbill`, and takes more with `routeV2()`.
 *
 * Every other operation of the catalogue, in either API, answers too: the request checked against
 * the catalogue (required fields, types, enums), the answer its signed example.
 *
 * Both inject faults on demand.
 *
 * @example
 * ```ts
 * import { Sandbox } from 'wechatpay-ts/sandbox';
 * const sandbox = await Sandbox.start();
 * const wxpay = new Wechatpay(sandbox.clientOptions);
 * sandbox.inject({ type: 'tampered-body' }); // the next answer is forged: the call rejects
 * await sandbox.close();
 * ```
 *
 * @example APIv2 over mutual TLS
 * ```ts
 * const sandbox = await Sandbox.start({ tls: true });
 * const wxpay = new Wechatpay(sandbox.clientOptions); // trusts the sandbox CA, holds the merchant certificate
 * await wxpay.v2.secapi.pay.refund.post({ xml: { appid, out_trade_no, out_refund_no, total_fee: 100, refund_fee: 100 }, security: true });
 * ```
 */
export class Sandbox {
  /** Every request received, oldest first (the last 100). */
  readonly requests: ReceivedRequest[] = [];
  private readonly routes: CompiledRoute[] = [];
  private readonly routesV2 = new Map<string, V2Route>();
  private readonly faults: Fault[] = [];
  /** The trade and fund-flow bills it serves; `bills.define()` sizes or spoils a day's bill. */
  readonly bills: BillBook;
  /** Seconds the gateway's clock is off, as {@link skewClock} set it. */
  private clockSkewSeconds = 0;
  /** Certificates issued by {@link rotateCertificate}, newest last. */
  private readonly rotated: Identity[] = [];
  /** How many notifications the migration sandbox signed: their signing keys take turns. */
  private notificationsSigned = 0;
  /** Who the merchant certificate is, to tell it from other certificates of the same CA. */
  private readonly merchantFingerprint: string;
  private pfx?: Buffer;
  private agent?: HttpsAgent;
  /** What `close()` answers, once it was called. */
  private closing?: Promise<void>;
  private readonly flows: PaymentFlows;
  private readonly transfers: TransferFlows;

  private constructor(
    private readonly server: Server | HttpsServer,
    private readonly keys: Keys,
    /** Which keys answers are signed with. */
    readonly mode: SandboxMode,
    /** The merchant id it knows. */
    readonly mchid: string,
    /** Whether it serves HTTPS (and mutual TLS). */
    readonly tls: boolean,
    flowOptions: PaymentFlowOptions & TransferFlowOptions,
  ) {
    const notifyEcho = (url: string, echoMessage: string) => void this.notify(url, { event_type: 'SECURITY.ECHO_TEST', resource_type: 'echo', summary: '商户回调测试', resource: { echo_message: echoMessage } }).catch(() => undefined);
    for (const route of echoRoutes({ platformKeys: () => this.platformKeys, merchant: keys.merchant, notify: notifyEcho })) this.route(route);
    const sensitiveKeys = { platformKeys: () => this.platformKeys, merchant: keys.merchant };
    for (const route of [...contractRoutes(), ...sensitiveRoutes(sensitiveKeys), ...certificateRoutes({ certificates: () => this.platformKeys.filter((key) => key.certificatePem !== undefined), apiv3Key: keys.apiv3Key })]) this.route(route);
    for (const route of mediaRoutes()) this.route(route);
    this.bills = new BillBook(mchid, () => this.baseURL);
    for (const route of this.bills.routes()) this.route(route);
    const context = { mchid, send: (url: string, event: NotificationEvent, signal: AbortSignal) => postNotification(url, event, { apiv3Key: keys.apiv3Key, key: this.notificationSigner(), signal }), baseURL: () => this.baseURL };
    this.flows = new PaymentFlows(context, flowOptions);
    this.transfers = new TransferFlows(context, flowOptions);
    for (const route of [...this.flows.routes(), ...this.flows.billRoutes(this.bills.routes()), ...this.transfers.routes(sensitiveKeys)]) this.route(route);
    for (const route of paymentRoutesV2()) this.routeV2(route);
    // Every other catalogue operation: last, so that every route above, and each route() added later, wins.
    this.routes.push(...catalogueRoutes(V3_PATH));
    this.merchantFingerprint = new X509Certificate(keys.merchant.certificatePem ?? '').fingerprint256;
  }

  /** Starts a sandbox on 127.0.0.1 and resolves once it listens. */
  static async start(given?: SandboxOptions): Promise<Sandbox> {
    const options = checkStartOptions(given);
    const mchid = options.mchid ?? '1900000001';
    const keys = await sandboxKeys(mchid, options.keysDir);
    const tls = options.tls ?? false;
    const server = tls
      ? createHttpsServer({
          key: keys.server.privateKeyPem,
          cert: keys.server.certificatePem,
          ca: keys.ca.certificatePem,
          // Ask every client for a certificate but let those without one in: only the mutual-TLS
          // routes check it, as the gateway's nginx does, so APIv3 calls work over the same port.
          requestCert: true,
          rejectUnauthorized: false,
        })
      : createServer();
    const sandbox = new Sandbox(server, keys, options.mode ?? 'certificate', mchid, tls, { notifySchedule: options.notifySchedule, refundDelayMs: options.refundDelayMs, profitSharingDelayMs: options.profitSharingDelayMs, transferCancelDelayMs: options.transferCancelDelayMs });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      sandbox.handle(request, response).catch((error: unknown) => {
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    return sandbox;
  }

  /** `http://127.0.0.1:<port>/`, or `https://…` in TLS mode. */
  get baseURL(): string {
    return `${this.tls ? 'https' : 'http'}://${LOOPBACK}:${(this.server.address() as AddressInfo).port}/`;
  }

  /** The sandbox root CA (PEM): trust it to reach a TLS-mode sandbox; it issued every certificate here. */
  get caCertificatePem(): string {
    return this.keys.ca.certificatePem ?? '';
  }

  /** The merchant API certificate and its key (PEM): the client certificate `/secapi/…` routes want. */
  get merchantTls(): SandboxTlsIdentity {
    return { cert: this.keys.merchant.certificatePem ?? '', key: this.keys.merchant.privateKeyPem };
  }

  /**
   * The same as a PKCS#12 file, like the `apiclient_cert.p12` the merchant platform hands out,
   * whose passphrase is likewise the merchant id. Built in process (no openssl binary).
   */
  get merchantPfx(): { pfx: Buffer; passphrase: string } {
    this.pfx ??= buildPfx({ privateKey: this.keys.merchant.privateKey, certificatePem: this.merchantTls.cert, passphrase: this.mchid, friendlyName: this.mchid });
    return { pfx: this.pfx, passphrase: this.mchid };
  }

  /** The merchant's APIv2 key (API密钥), 32 characters: what APIv2 `sign`s are made with. */
  get apiv2Secret(): string {
    return this.keys.apiv2Secret;
  }

  /** The merchant's key and certificate: what the client signs with. */
  get merchant(): Identity {
    return this.keys.merchant;
  }

  /** The platform keys answers may be signed with, in this mode. */
  get platformKeys(): Identity[] {
    if (this.mode === 'public-key') return [this.keys.platformPublicKey];
    const certificates = [this.keys.platformCertificate, ...this.rotated];
    return this.mode === 'certificate' ? certificates : [...certificates, this.keys.platformPublicKey];
  }

  /**
   * Issues a new platform certificate, as WeChat Pay does before the current one expires, and
   * from then on signs every answer but `GET /v3/certificates` with it, whatever key the request
   * names: a client that has not downloaded it sees an unknown serial. The download itself is
   * signed with the key the request names, so a client can verify it and learn the new one.
   */
  async rotateCertificate(): Promise<Identity> {
    const identity = await issuePlatformCertificate(this.keys.ca);
    this.rotated.push(identity);
    return identity;
  }

  /**
   * Sets the gateway's clock `seconds` ahead of the real one (negative: behind): APIv3 answers
   * carry that time in `Date` and `Wechatpay-Timestamp`, so a client sees its own clock as off by
   * as much (what `diagnose()` reports). 0 sets it right again.
   */
  skewClock(seconds: number): this {
    if (!Number.isSafeInteger(seconds)) throw new InvalidArgumentError('sandbox.skewClock(): seconds: expected a whole number of seconds');
    this.clockSkewSeconds = seconds;
    return this;
  }

  /** Ready options for `new Wechatpay(sandbox.clientOptions)`, both APIs included. */
  get clientOptions(): SandboxClientOptions {
    if (this.tls) this.agent ??= new HttpsAgent({ ca: this.caCertificatePem, keepAlive: true, timeout: IDLE_SOCKET_MS });
    return {
      mchid: this.mchid,
      serial: this.keys.merchant.id,
      privateKey: this.keys.merchant.privateKeyPem,
      certs: Object.fromEntries(this.platformKeys.map((key) => [key.id, key.certificatePem ?? key.publicKeyPem])),
      baseURL: this.baseURL,
      secret: this.keys.apiv2Secret,
      merchant: this.merchantTls,
      ...(this.agent ? { httpsAgent: this.agent } : {}),
    };
  }

  /** The APIv3 key notifications are encrypted under. */
  get apiv3Key(): string {
    return this.keys.apiv3Key;
  }

  /** Ready options for `new NotificationVerifier(sandbox.notificationOptions)`. */
  get notificationOptions(): { certs: Record<string, string>; apiv3Key: string } {
    return { certs: this.clientOptions.certs, apiv3Key: this.keys.apiv3Key };
  }

  /**
   * POSTs a signed notification to `url`, as WeChat Pay does: `resource` is encrypted with the
   * APIv3 key (AEAD_AES_256_GCM) and the body signed by the platform key (in migration mode, the
   * certificate and the public key in turn). A fault, if given, spoils it (signature faults as
   * for answers; `wrong-apiv3-key` encrypts under another key). Resolves with the merchant
   * server's answer.
   */
  async notify(url: string, event: NotificationEvent, fault?: Fault | { type: 'wrong-apiv3-key' }): Promise<NotificationAnswer> {
    checkNotification(url, event, 'sandbox.notify()');
    const checked = fault === undefined ? undefined : checkNotificationFault(fault, 'sandbox.notify()');
    return postNotification(url, event, { apiv3Key: this.keys.apiv3Key, key: this.notificationSigner(), fault: checked });
  }

  /**
   * Acts as the payer of the unpaid order `outTradeNo` placed with this sandbox (give `sub_mchid`
   * for a service provider's order): `SUCCESS` (the default) pays it and POSTs a signed,
   * encrypted `TRANSACTION.SUCCESS` to its `notify_url`, retried on the gateway's schedule until
   * the server answers 200 or 204; `PAYERROR` and `CLOSED` end it without a notification. The
   * order changes at once; the promise resolves with it and with how the delivery ended. A
   * combined order's sub-order is refused (`NOT_PAYABLE`): {@link payCombined} pays them.
   *
   * @example
   * ```ts
   * const { order, delivery } = await sandbox.pay('T20261128001');
   * console.log(order.trade_state, delivery?.acknowledged, delivery?.attempts); // SUCCESS true 1
   * ```
   */
  pay(outTradeNo: string, options?: { outcome?: PaymentOutcomeState; sub_mchid?: string }): Promise<PaymentOutcome> {
    return this.flows.pay(outTradeNo, options);
  }

  /**
   * Acts as the payer of the unpaid combined order (合单) `combineOutTradeNo` placed with this
   * sandbox (`POST /v3/combine-transactions/{jsapi,app,h5,native,miniprogram}`), all its
   * sub-orders in one payment: `SUCCESS` (the default) gives each sub-order its own
   * `transaction_id` and POSTs one signed, encrypted `TRANSACTION.SUCCESS` carrying the combined
   * order (`combine_out_trade_no`, `sub_orders`, `combine_payer_info`) to its `notify_url`,
   * retried as {@link pay} retries; `PAYERROR` and `CLOSED` end it without a notification. From
   * then on each paid sub-order is an order like any other: refunded by its `out_trade_no` or
   * `transaction_id` (with its `sub_mchid`, if it names one) and written in the day's trade bill.
   * A sub-order is paid only this way: `pay()` refuses it. Kept apart from `pay()` because a
   * combined order's number and its sub-orders' are different numbers, which may be spelt alike.
   *
   * @example
   * ```ts
   * const { order, delivery } = await sandbox.payCombined('C20261128001');
   * console.log(order.sub_orders?.map((sub) => sub.trade_state), delivery?.acknowledged); // [ 'SUCCESS', 'SUCCESS' ] true
   * ```
   */
  payCombined(combineOutTradeNo: string, options?: { outcome?: PaymentOutcomeState }): Promise<CombinedPaymentOutcome> {
    return this.flows.payCombined(combineOutTradeNo, options);
  }

  /** Makes the next refund accepted end `ABNORMAL`, notified as `REFUND.ABNORMAL`, rather than `SUCCESS`. */
  failNextRefund(): this {
    this.flows.failNextRefund();
    return this;
  }

  /** Resolves once the refund `outRefundNo` ended (`refundDelayMs` after it was accepted) and its notification was delivered or given up on. */
  refundSettled(outRefundNo: string, options?: { sub_mchid?: string }): Promise<RefundOutcome> {
    return this.flows.refundSettled(outRefundNo, options);
  }

  /**
   * Acts as the payee of the transfer bill `outBillNo` waiting for confirmation
   * (`WAIT_USER_CONFIRM`): `SUCCESS` (the default) confirms it and the money arrives; `FAIL`
   * fails it. The bill changes at once; its `MCHTRANSFER.BILL.FINISHED` notification goes to its
   * `notify_url`, retried until acknowledged, and the promise resolves with the bill and how that
   * delivery ended. Rejects with a `SandboxFlowError` (`NOT_FOUND`, `NOT_CONFIRMABLE`).
   *
   * @example
   * ```ts
   * const { bill, delivery } = await sandbox.confirmTransfer('plfk2020042013');
   * console.log(bill.state, delivery?.acknowledged); // SUCCESS true
   * ```
   */
  confirmTransfer(outBillNo: string, options?: { outcome?: TransferOutcomeState }): Promise<TransferOutcome> {
    return this.transfers.confirm(outBillNo, options);
  }

  /**
   * Resolves once the transfer bill `outBillNo` ended (confirmed, or `CANCELLED`
   * `transferCancelDelayMs` after the merchant cancelled it) and its notification was delivered
   * or given up on; a bill still waiting for its payee is waited for.
   */
  transferSettled(outBillNo: string): Promise<TransferOutcome> {
    return this.transfers.settled(outBillNo);
  }

  /**
   * Resolves once the profit-sharing order (or unfreeze) `outOrderNo` finished
   * (`profitSharingDelayMs` after it was accepted), with the order as its query then answers it.
   *
   * @example
   * ```ts
   * await wxpay.v3.profitsharing.orders.post({ json: { transaction_id, out_order_no: 'P20261128001', receivers, unfreeze_unsplit: true } });
   * const order = await sandbox.profitSharingSettled('P20261128001');
   * console.log(order.state, order.receivers?.[0].result); // FINISHED SUCCESS
   * ```
   */
  profitSharingSettled(outOrderNo: string, options?: { sub_mchid?: string }): Promise<SharingAnswer> {
    return this.flows.profitSharingSettled(outOrderNo, options);
  }

  /** Resolves once the profit-sharing return `outReturnNo` succeeded (`profitSharingDelayMs` after it was accepted), with the return as its query then answers it. */
  profitSharingReturnSettled(outReturnNo: string, options?: { sub_mchid?: string }): Promise<SharingReturnAnswer> {
    return this.flows.profitSharingReturnSettled(outReturnNo, options);
  }

  /** Adds (or, for the same method and path, replaces) a route. */
  route(route: Route): this {
    const compiled = compileRoute(checkRoute(route, 'sandbox.route()'));
    const index = this.routes.findIndex((known) => known.method === compiled.method && known.path === compiled.path);
    if (index >= 0) this.routes.splice(index, 1);
    this.routes.unshift(compiled);
    return this;
  }

  /**
   * Adds (or, for the same path, replaces) an APIv2 route. Its requests reach `handle` once their
   * `mch_id` and `sign` verified (and, on mutual-TLS routes, the merchant certificate); the
   * fields it returns are answered signed with the request's sign type.
   *
   * @example
   * ```ts
   * sandbox.routeV2({ path: '/pay/orderquery', handle: (fields) => ({ appid: fields.appid, mch_id: fields.mch_id, result_code: 'SUCCESS', trade_state: 'SUCCESS' }) });
   * ```
   */
  routeV2(route: V2Route): this {
    this.routesV2.set(route.path, checkV2Route(route, 'sandbox.routeV2()'));
    return this;
  }

  /** Queues a fault; each request the sandbox receives consumes the oldest one queued. */
  inject(fault: Fault): this {
    this.faults.push(checkFault(fault, 'sandbox.inject()'));
    return this;
  }

  /**
   * Stops listening and drops every connection, keep-alive ones included (and the agent of
   * `clientOptions`); pending refunds, profit sharing, cancellations and notification retries
   * stop. Called again, it answers the first call's promise.
   */
  close(): Promise<void> {
    this.closing ??= new Promise((resolve, reject) => {
      this.flows.close();
      this.transfers.close();
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
      this.agent?.destroy();
    });
    return this.closing;
  }

  [inspect.custom](): string {
    return `Sandbox { mode: '${this.mode}', baseURL: '${this.baseURL}' }`;
  }

  /** APIv3 takes its prefixed paths and whatever `route()` registered (even `/prefix/v3/…`); APIv2 the rest. */
  private isV2(path: string): boolean {
    return !V3_PATH.test(path) && !this.routes.some((route) => route.pattern.test(path));
  }

  /** What the request's TLS connection proves about the client. */
  private peerOf(request: IncomingMessage): V2Peer {
    const socket = request.socket;
    if (!(socket instanceof TLSSocket)) return { tls: false, presented: false, authorized: false, merchant: false };
    const certificate = socket.getPeerCertificate();
    // node gives an empty object, not null, when the client sent no certificate.
    if (!Buffer.isBuffer(certificate.raw)) return { tls: true, presented: false, authorized: false, merchant: false };
    const peer: V2Peer = {
      tls: true,
      presented: true,
      authorized: socket.authorized,
      merchant: socket.authorized && certificate.fingerprint256 === this.merchantFingerprint,
      serial: certificate.serialNumber.toUpperCase(),
    };
    if (!socket.authorized) peer.error = String(socket.authorizationError);
    return peer;
  }

  private async handleV2(request: IncomingMessage, response: ServerResponse, method: string, target: string, body: Buffer): Promise<void> {
    const fault = this.faults.shift();
    const { answer, verified } = await this.answerV2(method, new URL(target, 'http://sandbox').pathname, body, this.peerOf(request), fault);
    this.requests.push({ method, target, headers: request.headers, body, authorized: verified, api: 'v2' });
    if (this.requests.length > 100) this.requests.shift();
    if (!(await connectionFault(request, fault))) return;
    const sent = replaceV2Answer(answer, fault);
    response.writeHead(sent.status ?? 200, { 'Content-Type': sent.contentType, 'Content-Length': String(sent.raw.length) });
    endAnswer(response, sent.raw, fault);
  }

  /** The gateway's order: route, mutual TLS, XML + mch_id + sign, then the route's answer. */
  private async answerV2(method: string, path: string, body: Buffer, peer: V2Peer, fault: Fault | undefined): Promise<{ answer: V2RawReply; verified: boolean }> {
    const route = this.routesV2.get(path) ?? (await catalogueRouteV2(path));
    if (!route) return { answer: v2Failure(`no sandbox route for ${path}`, 404), verified: false };
    if (method !== 'POST') return { answer: v2Failure(`${path} takes POST`, 405), verified: false };
    if (needsMutualTls(route)) {
      if (!peer.presented) return { answer: tlsRefusal('No required SSL certificate was sent'), verified: false };
      if (!peer.authorized) return { answer: tlsRefusal('The SSL certificate error'), verified: false };
      // A certificate of the same CA but another holder gets through TLS, as another merchant's would; the gateway then refuses it.
      if (!peer.merchant) return { answer: v2Failure('证书错误'), verified: false };
    }
    const merchant: V2Merchant = { mchid: this.mchid, secret: this.keys.apiv2Secret };
    const checked = checkV2Request(body, merchant);
    if ('raw' in checked) return { answer: checked, verified: false };
    try {
      const reply = await route.handle(checked.fields, peer);
      return { answer: isRawReply(reply) ? reply : signedV2Answer(reply, merchant, checked.signType, fault), verified: true };
    } catch (error) {
      return { answer: v2Failure(`SYSTEMERROR: sandbox route failed: ${(error as Error).message}`, 500), verified: true };
    }
  }

  /**
   * The key the next notification is signed with. A notification answers no request, so no
   * request names its key: the gateway signs with its certificate, or with the public key, or
   * during the migration with either. The migration sandbox takes them in turn, the certificate
   * first, so a verifier that holds only one of the two meets the other by the second notification.
   */
  private notificationSigner(): Identity {
    if (this.mode !== 'migration') return this.signer(undefined);
    return this.notificationsSigned++ % 2 === 0 ? this.signer(undefined) : this.keys.platformPublicKey;
  }

  /**
   * The key an answer is signed with: the one the request names, else the newest platform
   * certificate (during the migration, the gateway keeps signing with its certificate until a
   * request names the public key), else the public key.
   */
  private signer(requested: string | string[] | undefined): Identity {
    const keys = this.platformKeys;
    const wanted = typeof requested === 'string' ? requested.toUpperCase() : undefined;
    return keys.find((key) => key.id === wanted) ?? keys.filter((key) => key.certificatePem !== undefined).at(-1) ?? keys[keys.length - 1];
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const method = request.method ?? 'GET';
    const target = request.url ?? '/';
    if (this.isV2(new URL(target, 'http://sandbox').pathname)) return this.handleV2(request, response, method, target, body);
    const fault = this.faults.shift();
    const received = { method, target, headers: request.headers, body };
    const failure = checkV3Request({ mchid: this.mchid, serial: this.keys.merchant.id, publicKey: this.keys.merchant.publicKey }, received);
    this.requests.push({ ...received, authorized: failure === undefined, api: 'v3' });
    if (this.requests.length > 100) this.requests.shift();
    if (!(await connectionFault(request, fault))) return;
    const reply = await answerV3(this.routes, received, failure, fault);
    const newest = this.rotated[this.rotated.length - 1];
    const signingKey = newest && !target.startsWith('/v3/certificates') ? newest.id : request.headers['wechatpay-serial'];
    this.send(response, reply, signingKey, fault);
  }

  private send(response: ServerResponse, reply: SandboxReply, requestedKey: string | string[] | undefined, fault: Fault | undefined): void {
    // Files go out unsigned, as the gateway sends them (DESIGN.md: binary downloads).
    if (isStreamedReply(reply)) return sendStreamed(response, reply, fault);
    const skewed = this.clockSkewSeconds === 0 ? undefined : { Date: new Date(Date.now() + this.clockSkewSeconds * 1000).toUTCString() };
    const timing: Fault | undefined = fault ?? (skewed && { type: 'stale-timestamp', seconds: -this.clockSkewSeconds });
    const { headers, body } = signAnswer(Buffer.from(reply.json !== undefined ? JSON.stringify(reply.json) : reply.body ?? ''), this.signer(requestedKey), timing, { ...skewed, ...reply.headers });
    response.writeHead(reply.status ?? 200, headers);
    endAnswer(response, body, fault);
  }
}
