import nodemailer, { SendMailOptions, Transporter } from 'nodemailer';
import { classifyEmailFeedback, enhancedStatusCode } from './email-feedback';
import { RetryableProviderError, SubmitResult } from './send-result';
import { verpAddress } from './verp';

export type EmailSubmission =
  | {
      messageId: string;
      to: string;
      from: string;
      subject: string;
      text: string;
      html?: string;
    }
  /** A message built in full by the caller (headers, VERP envelope, DKIM): sent as it is. */
  | { messageId: string; to: string; message: SendMailOptions };

export interface SmtpOptions {
  url: string;
  poolSize: number;
  verpSecret: string;
  verpDomain: string;
  timeoutMs: number;
}

/** SMTP through a pooled nodemailer transport; the envelope sender is a VERP address carrying our id. */
export class SmtpProvider {
  readonly name = 'smtp';
  private readonly transport: Transporter;

  constructor(private readonly opts: SmtpOptions) {
    const url = new URL(opts.url);
    this.transport = nodemailer.createTransport({
      pool: true,
      host: url.hostname,
      port: Number(url.port || 25),
      secure: url.protocol === 'smtps:',
      ignoreTLS: url.searchParams.get('tls') === 'off' || url.hostname === '127.0.0.1' || url.hostname === 'localhost',
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
      maxConnections: opts.poolSize,
      maxMessages: Infinity,
      connectionTimeout: opts.timeoutMs,
      socketTimeout: opts.timeoutMs,
    });
  }

  async submit(mail: EmailSubmission): Promise<SubmitResult> {
    const domain = this.opts.verpDomain;
    try {
      const info = await this.transport.sendMail(
        'message' in mail
          ? mail.message
          : {
              envelope: { from: verpAddress(this.opts.verpSecret, domain, mail.messageId), to: [mail.to] },
              from: mail.from,
              to: mail.to,
              subject: mail.subject,
              text: mail.text,
              html: mail.html,
              messageId: `<${mail.messageId}@${domain}>`,
              headers: { 'X-Utskick-Message-Id': mail.messageId },
            },
      );
      return { kind: 'accepted', providerMessageId: info.messageId ?? mail.messageId };
    } catch (err) {
      const e = err as { responseCode?: number; response?: string; message: string; code?: string; command?: string };
      // Only an answer about this recipient or this message is a verdict on it: RCPT TO / DATA 5xx,
      // or an address nodemailer cannot put on an envelope. A 5xx at AUTH or MAIL FROM, or any
      // connection trouble, is the relay's problem: retry, and let the breaker see it.
      // Some relays refuse relaying or demand auth at RCPT TO (530, 5.7.0, "relay"): still the relay's problem.
      // An address status (5.1.x) is about the recipient whatever its text says ("User unknown in relay recipient table").
      const addressStatus = /^[45]\.1\./.test(enhancedStatusCode(e.response) ?? '');
      const relayRefusal = !addressStatus && (e.responseCode === 530 || /\b5\.7\.0\b|relay|auth/i.test(e.response ?? ''));
      const perMessage = (e.command === 'RCPT TO' || e.command === 'DATA') && !relayRefusal;
      if (perMessage && e.responseCode && e.responseCode >= 500) {
        const hard = /\b5\.1\.(1|2|3|6|10)\b/.test(e.response ?? '');
        const { effect } = classifyEmailFeedback({ kind: 'bounce', diagnostic: e.response, label: 'smtp' });
        return {
          kind: 'rejected',
          status: hard ? 'bounced' : 'failed',
          error: `smtp ${e.responseCode}: ${e.response ?? e.message}`,
          ...(effect ? { addressEffect: { ...effect, source: 'smtp' } } : {}),
        };
      }
      // A 4xx about this recipient is a soft bounce: retried in the e-mail window, not the relay's failure (421 closes the session).
      if (perMessage && e.responseCode && e.responseCode >= 400 && e.responseCode !== 421) {
        return { kind: 'deferred', error: `smtp ${e.responseCode}: ${e.response ?? e.message}` };
      }
      if (e.code === 'EENVELOPE' && !e.responseCode) {
        return { kind: 'rejected', status: 'failed', error: `smtp: ${e.message}` };
      }
      throw new RetryableProviderError(`smtp ${e.responseCode ?? e.code ?? ''} ${e.command ?? ''}: ${e.response ?? e.message}`.replace(/\s+/g, ' ').trim());
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
