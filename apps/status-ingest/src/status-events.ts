import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { loadConfig, statusIngestSchema } from '@utskick/config';
import { MessageLedger, StatusBatcher, StatusEvent } from '@utskick/messages';
import { statusEvents } from '@utskick/observability';

/** The process's one batcher in front of the ledger: webhook requests share writes. */
@Injectable()
export class StatusEvents implements OnApplicationShutdown {
  private readonly batcher: StatusBatcher;

  constructor(ledger: MessageLedger) {
    const cfg = loadConfig(statusIngestSchema);
    this.batcher = new StatusBatcher(ledger, cfg.INGEST_BATCH_MAX, cfg.INGEST_BATCH_WAIT_MS, (r) => {
      statusEvents.inc({ source: 'all', result: 'applied' }, r.applied);
      statusEvents.inc({ source: 'all', result: 'duplicate' }, r.duplicates);
      statusEvents.inc({ source: 'all', result: 'ignored' }, r.stored - r.applied);
      statusEvents.inc({ source: 'all', result: 'unknown_message' }, r.unknown);
    });
  }

  record(events: StatusEvent[]): Promise<void> {
    return this.batcher.submit(events);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.batcher.close();
  }
}
