import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { logger } from '@utskick/observability';
import { verpMessageId } from '@utskick/providers';
import { SMTPServer, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { EmailEvent, EmailEventBatcher } from './email-events.batcher';
import { emailMagic, SANDBOX_SOFT_BOUNCE_ATTEMPTS } from './magic';
import { LiveConfig } from './sandbox-config';
import { SandboxState } from './sandbox-state';

export const SMTP_MAX_SIZE = 10 * 1024 * 1024;
const NO_MAILBOX = '5.1.1 mailbox does not exist';
const TRY_LATER = '4.2.0 mailbox temporarily unavailable, try again later';
const POLICY = '5.7.1 message rejected by policy';
const MAILBOX_FULL = '5.2.2 mailbox full';

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * The e-mail provider: a plain SMTP server (no STARTTLS, AUTH accepted but optional) that keeps
 * recent raw messages and reports delivery events as a real ESP's webhook would.
 */
@Injectable()
export class SandboxSmtpServer implements OnModuleDestroy {
  private readonly log = logger('smtp');
  private server: SMTPServer | null = null;
  private lastErrorLog = 0;

  constructor(
    private readonly config: LiveConfig,
    private readonly state: SandboxState,
    private readonly events: EmailEventBatcher,
  ) {}

  /** Starts listening; resolves with the bound port (useful with port 0). */
  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    const server = new SMTPServer({
      name: 'sandbox.utskick.test',
      banner: 'Utskick provider sandbox',
      logger: false,
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      hideSTARTTLS: true,
      size: SMTP_MAX_SIZE,
      closeTimeout: 2_000,
      disableReverseLookup: true,
      onAuth: (auth, _session, cb) => cb(null, { user: auth.username ?? 'sandbox' }),
      onRcptTo: (address, session, cb) => this.onRcptTo(address.address, session, cb),
      onData: (stream, session, cb) => this.onData(stream, session, cb),
    });
    server.on('error', (err) => this.onError(err));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      const failed = (err: Error) => reject(err);
      server.once('error', failed);
      server.listen(port, host, () => {
        server.off('error', failed);
        resolve();
      });
    });
    return (server.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  onModuleDestroy(): Promise<void> {
    return this.close();
  }

  private onRcptTo(address: string, session: SMTPServerSession, cb: (err?: Error | null) => void): void {
    switch (emailMagic(address)) {
      case 'reject':
        return cb(smtpError(550, NO_MAILBOX));
      case 'policy':
        return cb(smtpError(550, POLICY));
      case 'always4xx':
        return cb(smtpError(451, TRY_LATER));
      case 'softbounce': {
        // Counted per message (its VERP id), so each message is refused its first tries.
        const key = `${(session.envelope.mailFrom && verpMessageId(session.envelope.mailFrom.address)) ?? session.id}|${address.toLowerCase()}`;
        const tries = (this.state.softBounces.get(key) ?? 0) + 1;
        this.state.softBounces.set(key, tries);
        return tries <= SANDBOX_SOFT_BOUNCE_ATTEMPTS ? cb(smtpError(451, TRY_LATER)) : cb();
      }
      default:
        return cb();
    }
  }

  private onData(stream: SMTPServerDataStream, session: SMTPServerSession, cb: (err?: Error | null, message?: string) => void): void {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', (err) => cb(err));
    stream.on('end', () => {
      if (stream.sizeExceeded) return cb(smtpError(552, `5.3.4 message exceeds fixed maximum message size ${SMTP_MAX_SIZE}`));
      this.accept(Buffer.concat(chunks).toString('utf8'), session).then(
        (id) => cb(null, `OK: queued as ${id}`),
        (err: Error) => cb(err),
      );
    });
  }

  private async accept(raw: string, session: SMTPServerSession): Promise<string> {
    if (this.config.latencyMs > 0) await sleep(this.config.latencyMs);
    if (this.config.shouldFail()) throw smtpError(421, '4.3.2 service temporarily unavailable');

    const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    const to = session.envelope.rcptTo.map((r) => r.address);
    const messageId = from ? verpMessageId(from) : null;
    const acceptedAt = new Date();
    this.state.acceptEmail({ messageId, from, to, raw, acceptedAt: acceptedAt.toISOString() });
    if (messageId) this.events.add(deliveryEvents(messageId, to, Math.floor(acceptedAt.getTime() / 1000)));
    return messageId ?? session.id;
  }

  /** Client resets and the like: never per message in the log, at most one line every 10 s. */
  private onError(err: Error): void {
    const now = Date.now();
    if (now - this.lastErrorLog < 10_000) return;
    this.lastErrorLog = now;
    this.log.warn({ err: err.message }, 'smtp connection error');
  }
}

/** What a real ESP would report for each recipient of an accepted message. */
export function deliveryEvents(messageId: string, recipients: string[], timestamp: number): EmailEvent[] {
  const events: EmailEvent[] = [];
  const event = (email: string, kind: EmailEvent['event'], extra: Partial<EmailEvent> = {}) =>
    events.push({ eventId: randomUUID(), messageId, event: kind, email, timestamp, ...extra });
  for (const email of recipients) {
    switch (emailMagic(email)) {
      case 'bounce':
        event(email, 'bounce', { status: '5.1.1', bounceType: 'hard', reason: `550 ${NO_MAILBOX}` });
        break;
      case 'complaint':
        event(email, 'delivered');
        event(email, 'complaint');
        break;
      case 'full':
        event(email, 'bounce', { status: '5.2.2', bounceType: 'soft', reason: `552 ${MAILBOX_FULL}` });
        break;
      case 'deferral':
        event(email, 'deferred', { status: '4.2.0', reason: `451 ${TRY_LATER}` });
        event(email, 'delivered');
        break;
      default:
        event(email, 'delivered');
    }
  }
  return events;
}
