import type { SandboxReply } from './routes';

/**
 * A request the gateway turns down for a business reason, with its HTTP status, error code and
 * message (`{ code, message }`, as APIv3 error answers carry them).
 */
export class GatewayRefusal {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
  ) {}

  /** The answer the gateway gives for it. */
  reply(): SandboxReply {
    return { status: this.status, json: { code: this.code, message: this.message } };
  }
}
