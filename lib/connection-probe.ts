import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

/** Whether a socket is connected already (a reused keep-alive one): for TLS, its handshake done. */
function isEstablished(socket: Socket): boolean {
  if (socket.connecting) return false;
  if (!(socket instanceof TLSSocket)) return true;
  const protocol = socket.getProtocol();
  return protocol !== null && protocol !== 'unknown';
}

/** Raised on a connection that was not established within `connectTimeoutMs`. */
export const CONNECT_TIMEOUT = 'ECONNECTTIMEOUT';

/**
 * Watches one request's connection, to tell whether the request can have reached the server: it
 * can once a connection is established (TCP, and the TLS handshake for https) or an idle
 * keep-alive connection is reused; before that, nothing of it was written. A new connection
 * that takes longer than `connectTimeoutMs` is abandoned with {@link CONNECT_TIMEOUT}.
 *
 * It reaches axios' HTTP adapter as the request's `transport`, which makes the request exactly
 * as the adapter would without redirects (the SDK follows none).
 */
export class ConnectionProbe {
  /** Whether the adapter made the request through {@link transport} (axios' fetch adapter does not): only then does `connected` say anything. */
  used = false;
  /** Whether a connection was established or reused: from then on the request may have been delivered. */
  connected = false;

  constructor(private readonly connectTimeoutMs: number) {}

  /** The axios `transport` of the request. */
  get transport(): { request(options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest } {
    return {
      request: (options, callback) => {
        this.used = true;
        return this.#watch((options.protocol === 'https:' ? httpsRequest : httpRequest)(options, callback));
      },
    };
  }

  #watch(request: ClientRequest): ClientRequest {
    request.once('socket', (socket: Socket) => {
      if (isEstablished(socket)) {
        this.connected = true;
        return;
      }
      const timer = setTimeout(() => request.destroy(Object.assign(new Error(`no connection within ${this.connectTimeoutMs} ms`), { code: CONNECT_TIMEOUT })), this.connectTimeoutMs);
      const established = () => {
        this.connected = true;
        clearTimeout(timer);
      };
      socket.once(socket instanceof TLSSocket ? 'secureConnect' : 'connect', established);
      socket.once('close', () => clearTimeout(timer));
    });
    return request;
  }
}
