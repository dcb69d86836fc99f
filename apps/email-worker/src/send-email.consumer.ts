import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { emailProviderSchema, loadConfig, workerSchema } from '@utskick/config';
import { Job, JobConsumer, JobHandler, Outcome } from '@utskick/messaging';
import { ChannelSender, ClaimedMessage, DispatchBatch, dispatchOptions, MessageLedger } from '@utskick/messages';
import { BreakerRegistry, breakerOptions, EmailSubmission, SmtpProvider, SubmitResult } from '@utskick/providers';
import { DataSource } from 'typeorm';

interface EmailContent {
  email: { subject: string; text: string; html?: string };
}

/** email.send jobs: claim, submit over pooled SMTP behind the relay's breaker, record. */
@Injectable()
@JobConsumer('email.send')
export class SendEmailConsumer implements JobHandler<'email.send'>, OnApplicationShutdown {
  private readonly smtp: SmtpProvider;
  private readonly breakers: BreakerRegistry;
  private readonly dispatch: DispatchBatch<EmailContent>;

  constructor(ds: DataSource, ledger: MessageLedger) {
    const cfg = loadConfig(emailProviderSchema);
    const w = loadConfig(workerSchema);
    this.smtp = new SmtpProvider({
      url: cfg.SMTP_URL,
      poolSize: cfg.SMTP_POOL_SIZE,
      verpSecret: cfg.VERP_SECRET,
      verpDomain: cfg.VERP_DOMAIN,
      timeoutMs: w.PROVIDER_TIMEOUT_MS,
    });
    this.breakers = new BreakerRegistry(breakerOptions(w, cfg.SMTP_POOL_SIZE));
    const relay = new URL(cfg.SMTP_URL).host;
    const breaker = this.breakers.get('smtp', relay, (m: EmailSubmission) => this.smtp.submit(m));
    const sender: ChannelSender<EmailContent> = {
      channel: 'email',
      providerFor: () => 'smtp',
      send: (m: ClaimedMessage, content: EmailContent): Promise<SubmitResult> =>
        breaker.fire({ messageId: m.id, to: m.address, from: cfg.EMAIL_FROM, ...content.email }),
    };
    // One message per pooled connection at a time.
    this.dispatch = new DispatchBatch(ds, ledger, sender, dispatchOptions('email-worker', w, cfg.SMTP_POOL_SIZE));
  }

  handle(jobs: Job<'email.send'>[]): Promise<Outcome[]> {
    return this.dispatch.execute(jobs);
  }

  ready(): Promise<{ maxBatch: number } | undefined> {
    return this.breakers.whenClosed();
  }

  async onApplicationShutdown(): Promise<void> {
    this.breakers.shutdown();
    await this.smtp.close();
  }
}
