import { finished, Readable } from 'node:stream';
import { AxiosError, CanceledError } from 'axios';
import { ErrorCode, OptionError, WechatpayError } from './errors';

/** How long a call may take in all, in ms, when neither the client nor the call says: wechatpay-go's figure. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** A `timeout` option as milliseconds: a finite number of at least 0, where 0 means no deadline (as in axios). */
export function checkTimeout(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new OptionError(`${where}: option "timeout" must be a number of milliseconds, at least 0 (0: no deadline)`, ErrorCode.INVALID_OPTION);
  }
  return value;
}

function checkSignal(value: unknown, where: string): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof AbortSignal)) throw new OptionError(`${where}: option "signal" must be an AbortSignal`, ErrorCode.INVALID_OPTION);
  return value;
}

/**
 * The deadline of one exchange, and the caller's own signal, as one `AbortSignal`. The deadline
 * covers everything the call does: waiting for platform certificates, connecting, sending, and
 * reading the whole answer (axios' own `timeout` only notices a socket that goes quiet, so a
 * server dripping a byte at a time would hold it forever). An answer handed over as a stream
 * keeps the deadline until the stream ends: when time runs out first, the stream fails with the
 * timeout error.
 */
export class Deadline {
  readonly #controller = new AbortController();
  readonly #timer?: NodeJS.Timeout;
  readonly #detach?: () => void;
  #expired = false;
  #stream?: Readable;

  /**
   * @param ms Milliseconds from now; 0 for none.
   * @param what The exchange, as the timeout error names it (`GET v3/pay/transactions/id/{transaction_id}`).
   * @param caller The caller's signal: aborting it cancels the exchange.
   */
  constructor(
    readonly ms: number,
    private readonly what: string,
    caller?: AbortSignal,
  ) {
    if (ms > 0) this.#timer = setTimeout(() => this.#expire(), ms);
    if (caller?.aborted) this.#controller.abort(caller.reason);
    else if (caller) {
      const forward = () => this.#controller.abort(caller.reason);
      caller.addEventListener('abort', forward, { once: true });
      this.#detach = () => caller.removeEventListener('abort', forward);
    }
  }

  /** The deadline a call's options ask for (`timeout`, `signal`), checked; `fallbackMs` when they name no timeout. */
  static of(options: unknown, fallbackMs: number, what: string): Deadline {
    const given = options !== null && typeof options === 'object' ? (options as { timeout?: unknown; signal?: unknown }) : {};
    return new Deadline(checkTimeout(given.timeout, what) ?? fallbackMs, what, checkSignal(given.signal, what));
  }

  /** Aborts when the deadline passes or the caller aborts; hand it to everything the exchange does. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /**
   * Runs the exchange under this deadline. Whatever the task waits on, the result is settled by
   * the deadline at the latest: a timeout rejects with `ERR_WECHATPAY_TIMEOUT`, the caller's
   * abort with axios' `CanceledError`.
   */
  async run<T>(task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await this.#race(task(this.signal));
    } catch (error) {
      this.#end();
      throw this.#explain(error);
    }
    const data = (result as { data?: unknown } | undefined)?.data;
    if (data instanceof Readable && !data.readableEnded && !data.destroyed) {
      this.#stream = data;
      finished(data, () => this.#end());
    } else this.#end();
    return result;
  }

  #race<T>(promise: Promise<T>): Promise<T> {
    const signal = this.signal;
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<T>((resolve, reject) => {
      const stop = () => reject(signal.reason as Error);
      signal.addEventListener('abort', stop, { once: true });
      promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
    });
  }

  #timeoutError(cause?: unknown): WechatpayError {
    return new WechatpayError(`${this.what} did not finish within ${this.ms} ms (option "timeout"; 0 for none)`, ErrorCode.TIMEOUT, {
      config: cause instanceof AxiosError ? cause.config : undefined,
      cause,
    });
  }

  #expire(): void {
    this.#expired = true;
    const error = this.#timeoutError();
    // Before the abort, so a stream still being read fails with this error rather than the socket's.
    this.#stream?.destroy(error);
    this.#controller.abort(error);
  }

  #end(): void {
    clearTimeout(this.#timer);
    this.#detach?.();
  }

  #explain(error: unknown): unknown {
    if (this.#expired) return error instanceof WechatpayError && error.code === ErrorCode.TIMEOUT ? error : this.#timeoutError(error);
    if (this.signal.aborted && !(error instanceof CanceledError)) return new CanceledError(undefined, undefined, undefined);
    return error;
  }
}
