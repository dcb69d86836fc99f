import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { loadConfig, smsProviderSchema, workerSchema } from '@utskick/config';
import { Job, JobConsumer, JobHandler, Outcome } from '@utskick/messaging';
import { ChannelSender, ClaimedMessage, DispatchBatch, dispatchOptions, MessageLedger } from '@utskick/messages';
import { BreakerRegistry, breakerOptions, SubmitResult, TwilioProvider, twilioStatusCallbackUrl, SmsSubmission } from '@utskick/providers';
import { DataSource } from 'typeorm';

interface SmsContent {
  sms: { from: string; text: string };
}

/** Builds the Twilio account: real credentials when set, else the provider sandbox. */
function twilioAccount(cfg: ReturnType<typeof loadConfig<typeof smsProviderSchema>>) {
  if (cfg.TWILIO_ACCOUNT_SID) {
    if (!cfg.TWILIO_AUTH_TOKEN) throw new Error('TWILIO_AUTH_TOKEN: required when TWILIO_ACCOUNT_SID is set');
    return { sid: cfg.TWILIO_ACCOUNT_SID, authToken: cfg.TWILIO_AUTH_TOKEN, baseUrl: cfg.TWILIO_BASE_URL };
  }
  if (!cfg.SANDBOX_AUTH_TOKEN) throw new Error('SANDBOX_AUTH_TOKEN: required when no TWILIO_ACCOUNT_SID is set (sandbox mode)');
  return { sid: 'ACsandbox00000000000000000000000000', authToken: cfg.SANDBOX_AUTH_TOKEN, baseUrl: cfg.SANDBOX_URL };
}

/** sms.send jobs: claim, submit through Twilio (or the sandbox) behind the account's breaker, record. */
@Injectable()
@JobConsumer('sms.send')
export class SendSmsConsumer implements JobHandler<'sms.send'>, OnApplicationShutdown {
  private readonly twilio: TwilioProvider;
  private readonly breakers: BreakerRegistry;
  private readonly dispatch: DispatchBatch<SmsContent>;

  constructor(ds: DataSource, ledger: MessageLedger) {
    const cfg = loadConfig(smsProviderSchema);
    const w = loadConfig(workerSchema);
    // One connection per submission slot (DispatchBatch never has more in flight).
    this.twilio = new TwilioProvider(twilioAccount(cfg), w.WORKER_CONCURRENCY, w.PROVIDER_TIMEOUT_MS);
    this.breakers = new BreakerRegistry(breakerOptions(w, w.WORKER_CONCURRENCY));
    const breaker = this.breakers.get('twilio', this.twilio.account.sid, (m: SmsSubmission) => this.twilio.submit(m));
    const publicBase = cfg.PUBLIC_BASE_URL;
    const sender: ChannelSender<SmsContent> = {
      channel: 'sms',
      provider: 'twilio',
      send: (m: ClaimedMessage, content: SmsContent): Promise<SubmitResult> =>
        breaker.fire({ to: m.address, from: content.sms.from, body: content.sms.text, statusCallback: twilioStatusCallbackUrl(publicBase, m.id) }),
    };
    this.dispatch = new DispatchBatch(ds, ledger, sender, dispatchOptions('sms-worker', w, w.WORKER_CONCURRENCY));
  }

  handle(jobs: Job<'sms.send'>[]): Promise<Outcome[]> {
    return this.dispatch.execute(jobs);
  }

  /** While the provider's breaker is open the worker stops fetching. */
  ready(): Promise<{ maxBatch: number } | undefined> {
    return this.breakers.whenClosed();
  }

  async onApplicationShutdown(): Promise<void> {
    this.breakers.shutdown();
    await this.twilio.close();
  }
}
