import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { loadConfig, statusIngestSchema } from '@utskick/config';
import { DomainError, ValidationError } from '@utskick/http';
import {
  SENDGRID_SIGNATURE_HEADER,
  SENDGRID_TIMESTAMP_HEADER,
  sendgridPublicKey,
  sendgridReports,
  verifySendgridSignature,
} from '@utskick/providers';
import type { Request } from 'express';
import type { KeyObject } from 'node:crypto';
import { StatusEvents } from './status-events';

/** SendGrid's Signed Event Webhook: ECDSA P-256 over timestamp + raw body; sg_event_id is the duplicate key. */
@Controller('webhooks/sendgrid')
export class SendgridWebhookController {
  private readonly key: KeyObject | null;

  constructor(private readonly events: StatusEvents) {
    const configured = loadConfig(statusIngestSchema).SENDGRID_WEBHOOK_PUBLIC_KEY;
    try {
      this.key = configured ? sendgridPublicKey(configured) : null;
    } catch (err) {
      throw new Error(`SENDGRID_WEBHOOK_PUBLIC_KEY: ${(err as Error).message}`);
    }
  }

  @Post()
  @HttpCode(204)
  async receive(
    @Req() req: RawBodyRequest<Request>,
    @Headers(SENDGRID_TIMESTAMP_HEADER) timestamp: string | undefined,
    @Headers(SENDGRID_SIGNATURE_HEADER) signature: string | undefined,
  ): Promise<void> {
    if (!this.key || !req.rawBody || !verifySendgridSignature(this.key, timestamp, req.rawBody, signature)) {
      throw new DomainError('bad_signature', 403, 'The X-Twilio-Email-Event-Webhook-Signature does not match this request');
    }
    if (!Array.isArray(req.body)) throw new ValidationError([{ field: 'body', reason: 'must be an array of events' }]);
    await this.events.record(sendgridReports(req.body));
  }
}
