import { finished, Readable } from 'node:stream';
import { AxiosError, CanceledError, type AxiosRequestConfig, type CancelToken } from 'axios';
import { ErrorCode, WechatpayError, InvalidOptionError, TimeoutError } from './errors';
import { isTimerMs, MAX_TIMER_MS } from './timer-ms';

/** How long a call may take in all, in ms, when neither the client nor the call says: wechatpay-go's figure. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** A `timeout` option as milliseconds: from 0 to what a timer holds, where 0 means no deadline (as in axios). */
export function checkTimeout(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (!isTimerMs(value, 0, false)) {
    throw new InvalidOptionError(`${where}: option "timeout" must be a number of milliseconds from 0 to ${MAX_TIMER_MS} (0: no deadline)`);
  }
  return value;
}

function checkSignal(value: unknown, where: string): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof AbortSignal)) throw new InvalidOptionError(`${where}: option "signal" must be an AbortSignal`);
  return value;
}

function checkCancelToken(value: unknown, where: string): CancelToken | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof (value as Partial<CancelToken>).subscribe !== 'function') throw new InvalidOptionError(`${where}: option "cancelToken" must be an axios CancelToken`);
  return value as CancelToken;
}

type Listener = (reason: unknown) => void;

/**
 * The deadline of one exchange, with the caller's `signal` (or `cancelToken`) folded in. It covers
 * everything the call does: waiting for platform certificates, connecting, sending, and reading
 * the whole answer (axios' own `timeout` only notices a socket that goes quiet, so a server
 * dripping a byte at a time would hold it forever). An answer handed over as a stream keeps the
 * deadline until the stream ends: when time runs out first, the stream fails with the timeout error.
 *
 * It reaches axios as the request's cancel token (`subscribe`, `unsubscribe`,
 * `throwIfRequested`, `toAbortSignal`): one small object and a timer per call, where an
 * `AbortController` and its event listeners would cost every call several times more.
 */
export class Deadline {
  #listeners: Listener[] = [];
  readonly #endsAt: number;
  /** Why the exchange was aborted; set once, when it is. */
  #reason?: Error;
  #expired = false;
  #timer?: NodeJS.Timeout;
  #detach?: () => void;
  #stream?: Readable;
  #stop?: Listener;

  /**
   * @param ms Milliseconds from now; 0 for none.
   * @param what The exchange, as the timeout error names it (`GET v3/pay/transactions/id/{transaction_id}`).
   * @param caller The caller's signal or cancel token: aborting it cancels the exchange.
   */
  constructor(
    readonly ms: number,
    private readonly what: string,
    caller?: { signal?: AbortSignal; cancelToken?: CancelToken },
  ) {
    this.#endsAt = ms > 0 ? Date.now() + ms : Number.POSITIVE_INFINITY;
    if (ms > 0) this.#timer = setTimeout(() => this.#expire(), ms);
    const { signal, cancelToken } = caller ?? {};
    const cancel = () => this.#abort(new CanceledError(undefined, undefined, undefined));
    if (signal?.aborted || cancelToken?.reason) cancel();
    else if (signal || cancelToken) {
      signal?.addEventListener('abort', cancel, { once: true });
      cancelToken?.subscribe(cancel);
      this.#detach = () => {
        signal?.removeEventListener('abort', cancel);
        cancelToken?.unsubscribe(cancel);
      };
    }
  }

  /** The deadline a call's options ask for (`timeout`, `signal`, `cancelToken`), checked; `fallbackMs` when they name no timeout. */
  static of(options: unknown, fallbackMs: number, what: string): Deadline {
    const given = options !== null && typeof options === 'object' ? (options as { timeout?: unknown; signal?: unknown; cancelToken?: unknown }) : {};
    const caller = given.signal === undefined && given.cancelToken === undefined ? undefined : { signal: checkSignal(given.signal, what), cancelToken: checkCancelToken(given.cancelToken, what) };
    return new Deadline(checkTimeout(given.timeout, what) ?? fallbackMs, what, caller);
  }

  /** This deadline as the axios `cancelToken` of the exchange's requests. */
  get cancelToken(): CancelToken {
    return this as unknown as CancelToken;
  }

  /** Why the exchange was aborted, once it was (axios' CancelToken interface). */
  get reason(): Error | undefined {
    return this.#reason;
  }

  /** Calls `listener` with the reason when the exchange is aborted (at once if it already was). */
  subscribe(listener: Listener): void {
    if (this.#reason) listener(this.#reason);
    else this.#listeners.push(listener);
  }

  /** Forgets a listener given to {@link subscribe}. */
  unsubscribe(listener: Listener): void {
    const at = this.#listeners.indexOf(listener);
    if (at >= 0) this.#listeners.splice(at, 1);
  }

  /** Milliseconds left before the deadline; Infinity when there is none. */
  remainingMs(): number {
    return this.#endsAt - Date.now();
  }

  /** Waits `ms` (a back-off between attempts), or rejects with the reason should the exchange be aborted first. */
  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const stop: Listener = (reason) => {
        clearTimeout(timer);
        reject(reason instanceof Error ? reason : new Error(String(reason)));
      };
      const timer = setTimeout(() => {
        this.unsubscribe(stop);
        resolve();
      }, ms);
      this.subscribe(stop);
    });
  }

  /** Throws the reason when the exchange was aborted. */
  throwIfRequested(): void {
    if (this.#reason) throw this.#reason;
  }

  /** An AbortSignal that follows this deadline, for adapters that take one (axios' fetch adapter). */
  toAbortSignal(): AbortSignal {
    const controller = new AbortController();
    this.subscribe((reason) => controller.abort(reason));
    return controller.signal;
  }

  /**
   * Runs the exchange under this deadline. Whatever the task waits on, the result is settled by
   * the deadline at the latest: a timeout rejects with `ERR_WECHATPAY_TIMEOUT`, the caller's
   * abort with axios' `CanceledError`.
   */
  async run<T>(task: (deadline: Deadline) => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await this.#race(task(this));
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

  /** Settles with `promise`, or rejects when the exchange is aborted first. */
  #race<T>(promise: Promise<T>): Promise<T> {
    if (this.#reason) return Promise.reject(this.#reason);
    return new Promise<T>((resolve, reject) => {
      this.#stop = reject;
      promise.then(resolve, reject);
    });
  }

  #abort(reason: Error): void {
    if (this.#reason) return;
    this.#reason = reason;
    for (const listener of this.#listeners.splice(0)) listener(reason);
    this.#stop?.(reason);
  }

  #timeoutError(cause?: unknown): WechatpayError {
    return new TimeoutError(`${this.what} did not finish within ${this.ms} ms (option "timeout"; 0 for none)`, {
      config: cause instanceof AxiosError ? cause.config : undefined,
      cause,
    });
  }

  #expire(): void {
    this.#expired = true;
    const error = this.#timeoutError();
    // Before the abort, so a stream still being read fails with this error rather than the socket's.
    this.#stream?.destroy(error);
    this.#abort(error);
  }

  #end(): void {
    clearTimeout(this.#timer);
    this.#detach?.();
  }

  #explain(error: unknown): unknown {
    if (this.#expired) return error instanceof WechatpayError && error.code === ErrorCode.TIMEOUT ? error : this.#timeoutError(error);
    if (this.#reason && !(error instanceof CanceledError)) return this.#reason;
    return error;
  }
}

/**
 * Puts a request under `deadline`: it becomes the cancel token, and axios' own `timeout` (an idle
 * timer on the socket) and the caller's `signal` (already folded into the deadline) are cleared.
 */
export function withDeadline<C extends AxiosRequestConfig>(config: C, deadline: Deadline): C {
  config.cancelToken = deadline.cancelToken;
  config.signal = undefined;
  config.timeout = 0;
  return config;
}
