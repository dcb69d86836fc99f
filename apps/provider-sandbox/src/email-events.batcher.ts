import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { SANDBOX_SIGNATURE_HEADER, SANDBOX_TIMESTAMP_HEADER, sandboxSignature } from '@utskick/providers';
import { CallbackSender } from './callback-sender';
import { LiveConfig } from './sandbox-config';

export const EMAIL_BATCH_MAX = 500;
export const EMAIL_BATCH_WAIT_MS = 50;

export interface EmailEvent {
  eventId: string;
  messageId: string;
  event: 'delivered' | 'bounce' | 'complaint' | 'deferred';
  email: string;
  /** Unix seconds. */
  timestamp: number;
  status?: string;
  bounceType?: 'hard' | 'soft';
  reason?: string;
}

/**
 * Collects e-mail delivery events and posts them as signed JSON arrays to
 * `${STATUS_INGEST_URL}/webhooks/sandbox/email`: every 50 ms or 500 events, whichever first.
 */
@Injectable()
export class EmailEventBatcher implements OnModuleDestroy {
  private readonly url: string;
  private batch: EmailEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private gen = 0;

  constructor(
    private readonly sender: CallbackSender,
    private readonly config: LiveConfig,
  ) {
    this.url = `${config.env.STATUS_INGEST_URL.replace(/\/+$/, '')}/webhooks/sandbox/email`;
  }

  /** Adds events after the configured callback delay. */
  add(events: EmailEvent[]): void {
    if (!events.length) return;
    const delay = this.config.callbackDelayMs;
    if (delay > 0) {
      const gen = this.gen;
      setTimeout(() => gen === this.gen && this.push(events), delay).unref();
    } else {
      this.push(events);
    }
  }

  reset(): void {
    this.gen++;
    this.batch = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  onModuleDestroy(): void {
    this.reset();
  }

  private push(events: EmailEvent[]): void {
    for (const e of events) {
      this.batch.push(e);
      if (this.batch.length >= EMAIL_BATCH_MAX) this.flush();
    }
    if (this.batch.length && !this.timer) {
      this.timer = setTimeout(() => this.flush(), EMAIL_BATCH_WAIT_MS);
      this.timer.unref();
    }
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.batch.length) return;
    const body = JSON.stringify(this.batch);
    this.batch = [];
    const secret = this.config.env.SANDBOX_WEBHOOK_SECRET;
    this.sender.send({
      url: this.url,
      contentType: 'application/json',
      payload: () => {
        const timestamp = String(Math.floor(Date.now() / 1000));
        return {
          body,
          headers: {
            [SANDBOX_TIMESTAMP_HEADER]: timestamp,
            [SANDBOX_SIGNATURE_HEADER]: sandboxSignature(secret, timestamp, body),
          },
        };
      },
    });
  }
}
