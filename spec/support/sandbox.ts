import { Wechatpay } from '../../lib';
import { Sandbox, type SandboxOptions } from '../../lib/sandbox';

/** What the echo routes answer: the request as the sandbox received it. */
export interface Echo {
  method: string;
  target: string;
  params: Record<string, string>;
  body: string;
}

/** Paths the echo routes answer on, for every verb. */
export const ECHO_PATHS = ['/v3/echo', '/v3/echo/{id}', '/v3/echo/{id}/detail', '/v3/applyment4sub/applyment/', '/prefix/v3/echo'];

/** Starts a sandbox with echo routes for every verb, and a client for it. */
export async function startSandbox(options: SandboxOptions = {}): Promise<{ sandbox: Sandbox; wxpay: Wechatpay }> {
  const sandbox = await Sandbox.start(options);
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
    for (const path of ECHO_PATHS) {
      sandbox.route({
        method,
        path,
        handle: (request): { json: Echo } => ({ json: { method: request.method, target: request.target, params: request.params, body: request.body.toString('utf8') } }),
      });
    }
  }
  return { sandbox, wxpay: new Wechatpay(sandbox.clientOptions) };
}
