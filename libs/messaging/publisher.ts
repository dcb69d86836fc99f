import { Injectable } from '@nestjs/common';
import { headers as natsHeaders, MsgHdrs } from '@nats-io/nats-core';
import { currentTraceHeaders } from '@utskick/observability';
import { NatsService } from './nats.service';
import { SubjectKind, SubjectPayloads } from './subjects';

export interface Outgoing<K extends SubjectKind> {
  tenantId: string;
  payload: SubjectPayloads[K];
  /** Nats-Msg-Id: JetStream drops a repeat within its duplicate window, so a re-publish must use a new one. */
  msgId: string;
}

/** Publishes typed jobs, carrying the active W3C trace context in headers. */
@Injectable()
export class JobPublisher {
  constructor(private readonly nats: NatsService) {}

  private headers(): MsgHdrs {
    const h = natsHeaders();
    for (const [k, v] of Object.entries(currentTraceHeaders())) h.set(k, v);
    return h;
  }

  async publish<K extends SubjectKind>(kind: K, item: Outgoing<K>): Promise<void> {
    await this.nats.js.publish(this.nats.subjects.subject(kind, item.tenantId), JSON.stringify(item.payload), {
      msgID: item.msgId,
      headers: this.headers(),
    });
  }

  /**
   * Publishes asynchronously with at most `window` publishes awaiting their stream ack;
   * resolves when every one is acknowledged and rejects on the first failure (the ledger's
   * sweeper re-drives whatever was not published).
   */
  async publishMany<K extends SubjectKind>(kind: K, items: Outgoing<K>[], window = 512): Promise<void> {
    if (items.length === 0) return;
    const h = this.headers();
    const inFlight = new Set<Promise<unknown>>();
    let failure: unknown;
    for (const item of items) {
      if (failure) break;
      const p = this.nats.js
        .publish(this.nats.subjects.subject(kind, item.tenantId), JSON.stringify(item.payload), {
          msgID: item.msgId,
          headers: h,
        })
        .catch((err) => {
          failure ??= err;
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= window) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (failure) throw failure;
  }
}
