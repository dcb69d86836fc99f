import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { loadConfig, smsProviderSchema, workerSchema } from '@utskick/config';
import { Job, JobConsumer, JobHandler, Outcome } from '@utskick/messaging';
import { ChannelSender, ClaimedMessage, DispatchBatch, dispatchOptions, MessageLedger } from '@utskick/messages';
import {
  BreakerRegistry,
  breakerOptions,
  elksCallbackUrl,
  ElksSubmission,
  RetryableProviderError,
  SmsSubmission,
  SubmitResult,
  twilioStatusCallbackUrl,
} from '@utskick/providers';
import { DataSource } from 'typeorm';
import { SmsProviders } from './sms-providers';

interface SmsContent {
  sms: { from: string; text: string };
}

/** sms.send jobs: claim, submit through the message's provider (Twilio or 46elks) behind that account's breaker, record. */
@Injectable()
@JobConsumer('sms.send')
export class SendSmsConsumer implements JobHandler<'sms.send'>, OnApplicationShutdown {
  private readonly breakers: BreakerRegistry;
  private readonly dispatch: DispatchBatch<SmsContent>;

  constructor(ds: DataSource, ledger: MessageLedger, providers: SmsProviders) {
    const cfg = loadConfig(smsProviderSchema);
    const w = loadConfig(workerSchema);
    this.breakers = new BreakerRegistry(breakerOptions(w, w.WORKER_CONCURRENCY));
    const { twilio, elks } = providers;
    const twilioBreaker = twilio && this.breakers.get('twilio', twilio.account.sid, (m: SmsSubmission) => twilio.submit(m));
    const elksBreaker = elks && this.breakers.get('46elks', elks.account.username, (m: ElksSubmission) => elks.submit(m));
    const unconfigured = (name: string) => Promise.reject(new RetryableProviderError(`${name} is not configured on this worker`));
    const publicBase = cfg.PUBLIC_BASE_URL;
    const sender: ChannelSender<SmsContent> = {
      channel: 'sms',
      providerFor: (m: ClaimedMessage) => providers.nameOf(m.provider),
      send: (m: ClaimedMessage, content: SmsContent): Promise<SubmitResult> => {
        const text = m.body ?? content.sms.text;
        const from = m.sender ?? content.sms.from;
        if (providers.nameOf(m.provider) === '46elks') {
          if (!elksBreaker) return unconfigured('46elks');
          return elksBreaker.fire({
            to: m.address,
            from,
            message: text,
            whendelivered: elksCallbackUrl(publicBase, cfg.ELKS_CALLBACK_SECRET, m.tenantId, `delivery/${m.id}`),
          });
        }
        if (!twilioBreaker) return unconfigured('twilio');
        return twilioBreaker.fire({ to: m.address, from, body: text, statusCallback: twilioStatusCallbackUrl(publicBase, m.id) });
      },
    };
    this.dispatch = new DispatchBatch(ds, ledger, sender, dispatchOptions('sms-worker', w, w.WORKER_CONCURRENCY));
  }

  handle(jobs: Job<'sms.send'>[]): Promise<Outcome[]> {
    return this.dispatch.execute(jobs);
  }

  /** The worker stops fetching only while every provider's breaker is open: one outage must not stall the other's tenants. */
  ready(): Promise<{ maxBatch: number } | undefined> {
    return this.breakers.whenAnyClosed();
  }

  onApplicationShutdown(): void {
    this.breakers.shutdown();
  }
}
