import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { loadConfig, smsProviderSchema } from '@utskick/config';
import { MessageLedger, PollUnreportedSms } from '@utskick/messages';
import { logger } from '@utskick/observability';
import { DataSource } from 'typeorm';
import { SmsProviders } from './sms-providers';

/** Every SMS_POLL_INTERVAL_MS: asks the providers about `sent` SMS whose report is SMS_POLL_AFTER_MS late. */
@Injectable()
export class PollUnreportedLoop implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = logger('poll-loop');
  private readonly cfg = loadConfig(smsProviderSchema);
  private readonly poll: PollUnreportedSms;
  private stopping = false;
  private wake?: () => void;
  private loop: Promise<void> = Promise.resolve();

  constructor(ds: DataSource, ledger: MessageLedger, providers: SmsProviders) {
    this.poll = new PollUnreportedSms(ds, ledger, providers.statusSources());
  }

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.poll.execute({ afterMs: this.cfg.SMS_POLL_AFTER_MS });
      } catch (err) {
        this.log.error({ err }, 'polling unreported SMS failed');
      }
      if (this.stopping) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.cfg.SMS_POLL_INTERVAL_MS);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }
}
