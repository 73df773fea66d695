import { randomUUID } from 'node:crypto';
import { chinaTime } from './china-time';
import type { NotificationAnswer, NotificationEvent } from './notifications';

/**
 * How long the gateway waits before each new attempt at a notification the merchant did not
 * acknowledge, in milliseconds: 15 s, 15 s, 30 s, 3 min, 10 min, 20 min, 30 min, 30 min, 30 min,
 * 60 min, 3 h, 3 h, 3 h, 6 h, 6 h. After the last it gives up.
 */
export const GATEWAY_NOTIFY_SCHEDULE_MS: readonly number[] = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600].map((seconds) => seconds * 1000);

/** The gateway's schedule a thousand times faster (15 ms, 15 ms, 30 ms, …, 21.6 s): the sandbox's default. */
export const SANDBOX_NOTIFY_SCHEDULE_MS: readonly number[] = GATEWAY_NOTIFY_SCHEDULE_MS.map((ms) => ms / 1000);

/** Why an attempt cut short by `cancel()` got no answer. */
const CANCELLED = 'the sandbox closed';

/** The gateway's patience with a merchant server: an answer later than 5 s counts as none. */
const NOTIFY_ANSWER_TIMEOUT_MS = 5000;

/** One attempt at delivering a notification. */
export interface DeliveryAttempt {
  /** When it was sent, in milliseconds after the first attempt. */
  at: number;
  /** The merchant server's HTTP status; absent when no answer came. */
  status?: number;
  /** Why no answer came (refused connection, timeout, the sandbox closing, …). */
  error?: string;
}

/** How delivering a notification ended. */
export interface DeliveryOutcome {
  /** Whether the merchant server acknowledged it (HTTP 200 or 204, as the gateway requires). */
  acknowledged: boolean;
  /** How many times it was sent. */
  attempts: number;
  /** The last answer's HTTP status; absent when the last attempt got none. */
  status?: number;
  /** Why the last attempt got no answer. */
  error?: string;
  /** Whether the sandbox closed before the delivery ended, stopping it. */
  cancelled: boolean;
  /** Every attempt, oldest first. */
  history: DeliveryAttempt[];
}

/** Sends one attempt; `signal` aborts it. */
export type NotificationSender = (url: string, event: NotificationEvent, signal: AbortSignal) => Promise<NotificationAnswer>;

/** When and how long the courier retries. */
export interface CourierOptions {
  /** The waits before each retry, in milliseconds; {@link SANDBOX_NOTIFY_SCHEDULE_MS} by default. */
  schedule?: readonly number[];
  /** How long to wait for each answer; 5 s (the gateway's patience) by default. */
  answerTimeoutMs?: number;
}

/** A delivery still under way: what cancelling it must stop. */
interface Pending {
  timer?: NodeJS.Timeout;
  controller?: AbortController;
  end(cancelled: boolean): void;
}

/**
 * Delivers notifications as the gateway does: POSTs each one until the merchant server answers
 * 200 or 204, waiting between attempts as the schedule says, and gives up after the last. Every
 * attempt carries the same notification `id` and `create_time`, signed afresh. `cancel()` stops
 * every delivery under way (their promises resolve, `cancelled`).
 */
export class NotificationCourier {
  private readonly pending = new Set<Pending>();
  private readonly schedule: readonly number[];
  private readonly answerTimeoutMs: number;

  constructor(
    private readonly send: NotificationSender,
    options: CourierOptions = {},
  ) {
    this.schedule = options.schedule ?? SANDBOX_NOTIFY_SCHEDULE_MS;
    this.answerTimeoutMs = options.answerTimeoutMs ?? NOTIFY_ANSWER_TIMEOUT_MS;
  }

  /** Delivers `event` to `url`; resolves once it was acknowledged, given up on, or cancelled. */
  deliver(url: string, event: NotificationEvent): Promise<DeliveryOutcome> {
    const notification: NotificationEvent = { ...event, id: event.id ?? randomUUID(), create_time: event.create_time ?? chinaTime(new Date()) };
    const history: DeliveryAttempt[] = [];
    const started = Date.now();
    return new Promise((resolve) => {
      const pending: Pending = {
        end: (cancelled) => {
          if (!this.pending.delete(pending)) return;
          clearTimeout(pending.timer);
          pending.controller?.abort(new Error(CANCELLED));
          const last = history[history.length - 1];
          if (last && last.status === undefined) last.error ??= CANCELLED;
          const acknowledged = last?.status === 200 || last?.status === 204;
          resolve({ acknowledged, attempts: history.length, status: last?.status, error: last?.error, cancelled, history });
        },
      };
      const attempt = (): void => {
        const controller = new AbortController();
        pending.controller = controller;
        const timeout = setTimeout(() => controller.abort(new Error(`no answer within ${this.answerTimeoutMs} ms`)), this.answerTimeoutMs);
        const record: DeliveryAttempt = { at: Date.now() - started };
        history.push(record);
        void this.send(url, notification, controller.signal)
          .then(
            (answer) => {
              record.status = answer.status;
            },
            (error: unknown) => {
              record.error = controller.signal.aborted ? (controller.signal.reason as Error).message : (error as Error).message;
            },
          )
          .then(() => {
            clearTimeout(timeout);
            if (!this.pending.has(pending)) return;
            const wait = this.schedule[history.length - 1];
            if (record.status === 200 || record.status === 204 || wait === undefined) return pending.end(false);
            pending.timer = setTimeout(attempt, wait);
          });
      };
      this.pending.add(pending);
      attempt();
    });
  }

  /** Stops every delivery under way: no more attempts, the one in flight abandoned. */
  cancel(): void {
    for (const pending of [...this.pending]) pending.end(true);
  }
}
