import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { loadConfig, statusIngestSchema } from '@utskick/config';
import { DomainError, isUuid, ValidationError } from '@utskick/http';
import { MessageStatus, StatusEvent } from '@utskick/messages';
import { SANDBOX_SIGNATURE_HEADER, SANDBOX_TIMESTAMP_HEADER, verifySandboxSignature } from '@utskick/providers';
import type { Request } from 'express';
import { StatusEvents } from './status-events';

const SANDBOX_EVENT: Record<string, MessageStatus | null> = {
  delivered: 'delivered',
  bounce: 'bounced',
  complaint: 'spam',
  deferred: null,
  processed: null,
};

interface SandboxEvent {
  eventId: string;
  messageId: string;
  event: string;
  email?: string;
  status?: string;
  reason?: string;
}

/** The provider sandbox's e-mail events (HMAC-SHA256 over timestamp + raw body). */
@Controller('webhooks/sandbox')
export class SandboxWebhookController {
  private readonly secret = loadConfig(statusIngestSchema).SANDBOX_WEBHOOK_SECRET;

  constructor(private readonly events: StatusEvents) {}

  @Post('email')
  @HttpCode(204)
  async email(
    @Req() req: RawBodyRequest<Request>,
    @Headers(SANDBOX_TIMESTAMP_HEADER) timestamp: string | undefined,
    @Headers(SANDBOX_SIGNATURE_HEADER) signature: string | undefined,
  ): Promise<void> {
    if (!this.secret || !req.rawBody || !verifySandboxSignature(this.secret, timestamp, req.rawBody, signature)) {
      throw new DomainError('bad_signature', 403, 'The sandbox signature does not match this request');
    }
    const body = req.body as unknown;
    if (!Array.isArray(body)) throw new ValidationError([{ field: 'body', reason: 'must be an array of events' }]);
    const events: StatusEvent[] = [];
    for (const e of body as SandboxEvent[]) {
      if (!e || typeof e !== 'object' || typeof e.messageId !== 'string' || typeof e.event !== 'string') continue;
      if (!isUuid(e.messageId) || !Object.hasOwn(SANDBOX_EVENT, e.event) || !e.eventId) continue;
      events.push({
        messageId: e.messageId.toLowerCase(),
        status: SANDBOX_EVENT[e.event],
        eventType: e.event,
        source: 'sandbox-email',
        providerEventId: String(e.eventId),
        error: e.event === 'bounce' ? `bounce ${e.status ?? ''} ${e.reason ?? ''}`.trim() : null,
        payload: e,
      });
    }
    await this.events.record(events);
  }
}
