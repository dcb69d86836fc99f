import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { DomainError } from '@utskick/http';
import { sesReport, SnsCertificateUnavailable, SnsEndpoint, SnsRejected } from '@utskick/providers';
import type { Request } from 'express';
import { StatusEvents } from './status-events';

/**
 * Amazon SES notifications through an SNS HTTPS subscription. SNS posts JSON as text/plain; the
 * signature is checked over the raw text, subscriptions are confirmed, and the SNS MessageId is
 * the duplicate key.
 */
@Controller('webhooks/ses')
export class SesWebhookController {
  constructor(
    @Inject(SnsEndpoint) private readonly sns: SnsEndpoint,
    private readonly events: StatusEvents,
  ) {}

  @Post()
  @HttpCode(200)
  async receive(@Req() req: RawBodyRequest<Request>): Promise<void> {
    const raw = req.rawBody ? req.rawBody.toString('utf8') : typeof req.body === 'string' ? req.body : '';
    let receipt;
    try {
      receipt = await this.sns.receive(raw);
    } catch (err) {
      if (err instanceof SnsRejected) throw new DomainError('bad_signature', 403, `Not a message signed by Amazon SNS: ${err.message}`);
      if (err instanceof SnsCertificateUnavailable) throw new DomainError('certificate_unavailable', 503, 'The SNS signing certificate cannot be fetched now; SNS retries', [], true);
      throw err;
    }
    if (receipt.kind !== 'notification') return;
    const report = sesReport(receipt.messageId, receipt.message);
    if (report) await this.events.record([report]);
  }
}
