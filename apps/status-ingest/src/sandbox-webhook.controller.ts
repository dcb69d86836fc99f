import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { loadConfig, statusIngestSchema } from '@utskick/config';
import { DomainError, isUuid, ValidationError } from '@utskick/http';
import { StatusEvent } from '@utskick/messages';
import { EmailFeedback, emailReport, SANDBOX_SIGNATURE_HEADER, SANDBOX_TIMESTAMP_HEADER, verifySandboxSignature } from '@utskick/providers';
import type { Request } from 'express';
import { StatusEvents } from './status-events';

interface SandboxEvent {
  eventId: string;
  messageId: string;
  event: string;
  email?: string;
  status?: string;
  reason?: string;
  bounceType?: string;
}

/** The sandbox plays an ESP: its reports mean what a real provider's would (hard bounces and complaints block globally). */
function feedbackOf(e: SandboxEvent): EmailFeedback | null {
  switch (e.event) {
    case 'delivered':
      return { kind: 'delivered' };
    case 'deferred':
    case 'processed':
      return { kind: e.event };
    case 'complaint':
      return { kind: 'complaint' };
    case 'bounce':
      return { kind: 'bounce', statusCode: e.status ?? null, diagnostic: e.reason ?? null, label: e.bounceType ?? null };
    default:
      return null;
  }
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
      const feedback = feedbackOf(e);
      if (!isUuid(e.messageId) || !feedback || !e.eventId) continue;
      events.push(
        emailReport({ messageId: e.messageId.toLowerCase(), eventType: e.event, source: 'sandbox-email', providerEventId: String(e.eventId), payload: e }, feedback),
      );
    }
    await this.events.record(events);
  }
}
