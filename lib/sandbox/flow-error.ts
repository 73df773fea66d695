/** Why the sandbox refused a step a test asked of it (`sandbox.pay()`, `sandbox.refundSettled()`, `sandbox.profitSharingSettled()`, `sandbox.confirmTransfer()`). */
export type SandboxFlowErrorCode =
  /** No order (or refund, or profit-sharing order or return) of that number was placed with the sandbox. */
  | 'NOT_FOUND'
  /** The order is no longer waiting for its payer: paid, closed or failed already. */
  | 'NOT_PAYABLE'
  /** The transfer bill is no longer waiting for its payee: confirmed, failed or cancelled already. */
  | 'NOT_CONFIRMABLE';

/** A step of a payment flow that cannot happen, asked of the sandbox by the test itself. */
export class SandboxFlowError extends Error {
  override readonly name = 'SandboxFlowError';

  constructor(
    readonly code: SandboxFlowErrorCode,
    message: string,
  ) {
    super(message);
  }
}
