import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { emailProviderSchema, emailSecretsSchema, loadConfig, workerSchema } from '@utskick/config';
import { EmailComposer, UnsendableEmailError } from '@utskick/email';
import { Job, JobConsumer, JobHandler, Outcome, SendJob } from '@utskick/messaging';
import { ChannelSender, ClaimedMessage, DispatchBatch, dispatchOptions, MessageLedger } from '@utskick/messages';
import { BreakerRegistry, breakerOptions, EmailSubmission, SmtpProvider, SubmitResult } from '@utskick/providers';
import type { SendMailOptions } from 'nodemailer';
import { DataSource } from 'typeorm';

interface EmailContent {
  email: { subject: string; text: string; html?: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** email.send jobs: claim, render per recipient, submit over pooled SMTP behind the relay's breaker, record. */
@Injectable()
@JobConsumer('email.send')
export class SendEmailConsumer implements JobHandler<'email.send'>, OnApplicationShutdown {
  private readonly smtp: SmtpProvider;
  private readonly breakers: BreakerRegistry;
  private readonly dispatch: DispatchBatch<EmailContent>;
  private readonly composer: EmailComposer;

  constructor(ds: DataSource, ledger: MessageLedger) {
    const cfg = loadConfig(emailProviderSchema);
    const w = loadConfig(workerSchema);
    const secrets = loadConfig(emailSecretsSchema);
    this.composer = new EmailComposer(ds, {
      linkSecret: secrets.LINK_SECRET,
      publicBaseUrl: secrets.PUBLIC_BASE_URL,
      domainKeySecret: secrets.DOMAIN_KEY_SECRET,
      defaultFrom: cfg.EMAIL_FROM,
      verpSecret: cfg.VERP_SECRET,
      verpDomain: cfg.VERP_DOMAIN,
      identityTtlMs: 30_000,
    });
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
      send: async (m: ClaimedMessage): Promise<SubmitResult> => {
        let message: SendMailOptions;
        try {
          message = await this.composer.compose(m);
        } catch (err) {
          // A message that cannot be built as asked fails now; anything else (the database) is retried.
          if (err instanceof UnsendableEmailError) return { kind: 'rejected', status: 'failed', error: `not sent: ${err.message}` };
          throw err;
        }
        return breaker.fire({ messageId: m.id, to: m.address, message });
      },
    };
    // One message per pooled connection at a time.
    this.dispatch = new DispatchBatch(
      ds,
      ledger,
      sender,
      dispatchOptions('email-worker', w, cfg.SMTP_POOL_SIZE, {
        windowMs: cfg.EMAIL_SOFT_BOUNCE_WINDOW_MS,
        expiredStatus: 'bounced',
        retryMaxMs: cfg.EMAIL_SOFT_BOUNCE_RETRY_MAX_MS,
      }),
    );
  }

  /** The batch's contacts are read in one query first; each message is rendered when it is sent. */
  async handle(jobs: Job<'email.send'>[]): Promise<Outcome[]> {
    const ids = jobs.map((j) => (j.payload as SendJob)?.messageId).filter((id): id is string => typeof id === 'string' && UUID.test(id));
    await this.composer.prefetch(ids);
    try {
      return await this.dispatch.execute(jobs);
    } finally {
      this.composer.forget(ids);
    }
  }

  ready(): Promise<{ maxBatch: number } | undefined> {
    return this.breakers.whenClosed();
  }

  async onApplicationShutdown(): Promise<void> {
    this.breakers.shutdown();
    await this.smtp.close();
  }
}
