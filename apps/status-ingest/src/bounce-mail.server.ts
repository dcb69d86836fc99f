import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { loadConfig, statusIngestSchema } from '@utskick/config';
import { logger } from '@utskick/observability';
import { dsnReport, EmailReport, parseVerpAddress } from '@utskick/providers';
import { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { readBounded } from './read-bounded';
import { StatusEvents } from './status-events';

const MAX_SIZE = 10 * 1024 * 1024;

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * Bounce mail over SMTP: accepts mail only for VERP addresses whose HMAC matches (anything else is
 * refused at RCPT TO), reads the RFC 3464 report and records it like a provider event. A report
 * is answered 250 only once recorded; a failure to record answers 451, so the sending MTA retries.
 */
@Injectable()
export class BounceMailServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = logger('bounce-smtp');
  private readonly cfg = loadConfig(statusIngestSchema);
  private server: SMTPServer | null = null;
  private lastErrorLog = 0;

  constructor(private readonly events: StatusEvents) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.cfg.VERP_SECRET) {
      this.log.warn('VERP_SECRET is not set: no bounce mail listener');
      return;
    }
    const port = await this.listen(this.cfg.STATUS_INGEST_SMTP_PORT, this.cfg.VERP_SECRET);
    this.log.info({ port }, 'bounce mail listener ready');
  }

  /** Starts listening; resolves with the bound port (useful with port 0). */
  async listen(port: number, secret: string, host = '0.0.0.0'): Promise<number> {
    const server = new SMTPServer({
      name: 'bounces.utskick',
      banner: 'Utskick bounce processor',
      logger: false,
      // Bounce mail arrives unauthenticated from any MTA; TLS is left to a front relay.
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      hideSTARTTLS: true,
      size: MAX_SIZE,
      closeTimeout: 2_000,
      disableReverseLookup: true,
      onRcptTo: (address, _session, cb) =>
        parseVerpAddress(secret, address.address) ? cb() : cb(smtpError(550, '5.1.1 no such bounce address')),
      onData: (stream, session, cb) => this.onData(stream, session, secret, cb),
    });
    server.on('error', (err) => this.onError(err));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return (server.server.address() as AddressInfo).port;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private onData(stream: SMTPServerDataStream, session: SMTPServerSession, secret: string, cb: (err?: Error | null, message?: string) => void): void {
    readBounded(stream, MAX_SIZE).then(
      (raw) => {
        if (!raw) return cb(smtpError(552, `5.3.4 message exceeds fixed maximum message size ${MAX_SIZE}`));
        const ids = [...new Set(session.envelope.rcptTo.map((r) => parseVerpAddress(secret, r.address)).filter((id): id is string => !!id))];
        this.record(ids, raw).then(
          (n) => cb(null, n ? 'OK: report recorded' : 'OK: no delivery status report, ignored'),
          (err: Error) => {
            this.log.warn({ err: err.message }, 'bounce report not recorded; the sender will retry');
            cb(smtpError(451, '4.3.0 try again later'));
          },
        );
      },
      (err: Error) => cb(err),
    );
  }

  private async record(messageIds: string[], raw: Buffer): Promise<number> {
    const reports: EmailReport[] = [];
    for (const id of messageIds) {
      // Mail that cannot be parsed is no report: accepted and dropped, never retried.
      const report = await dsnReport(id, raw).catch(() => null);
      if (report) reports.push(report);
    }
    await this.events.record(reports);
    return reports.length;
  }

  /** Client resets and the like: at most one line every 10 s. */
  private onError(err: Error): void {
    const now = Date.now();
    if (now - this.lastErrorLog < 10_000) return;
    this.lastErrorLog = now;
    this.log.warn({ err: err.message }, 'bounce smtp connection error');
  }
}
