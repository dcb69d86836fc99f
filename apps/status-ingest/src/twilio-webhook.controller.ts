import { Body, Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { loadConfig, statusIngestSchema } from '@utskick/config';
import { DomainError, isUuid } from '@utskick/http';
import { MessageStatus } from '@utskick/messages';
import { verifyTwilioSignature } from '@utskick/providers';
import type { Request } from 'express';
import { StatusEvents } from './status-events';

/** Twilio MessageStatus → our status; null keeps it as an event only. */
const TWILIO_STATUS: Record<string, MessageStatus | null> = {
  accepted: null,
  scheduled: null,
  queued: null,
  sending: null,
  sent: 'sent',
  delivered: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
  read: null,
  canceled: 'failed',
};

/** Twilio status callbacks, verified by X-Twilio-Signature over the PUBLIC_BASE_URL form of the URL. */
@Controller('webhooks/twilio')
export class TwilioWebhookController {
  private readonly cfg = loadConfig(statusIngestSchema);
  private readonly authToken = this.cfg.TWILIO_AUTH_TOKEN ?? this.cfg.SANDBOX_AUTH_TOKEN;
  private readonly base = this.cfg.PUBLIC_BASE_URL.replace(/\/$/, '');

  constructor(private readonly events: StatusEvents) {}

  @Post('status/:messageId')
  @HttpCode(204)
  async status(
    @Param('messageId') messageId: string,
    @Body() body: Record<string, string>,
    @Headers('x-twilio-signature') signature: string | undefined,
    @Req() req: Request,
  ): Promise<void> {
    const params = body && typeof body === 'object' ? body : {};
    if (!this.authToken || !verifyTwilioSignature(this.authToken, this.base + req.originalUrl, params, signature)) {
      throw new DomainError('bad_signature', 403, 'The X-Twilio-Signature does not match this request');
    }
    const twilioStatus = String(params.MessageStatus ?? '').toLowerCase();
    if (!isUuid(messageId) || !Object.hasOwn(TWILIO_STATUS, twilioStatus) || typeof params.MessageSid !== 'string' || !params.MessageSid) {
      throw new DomainError('bad_callback', 400, 'Not a Twilio status callback for one of our messages', [
        { field: 'MessageStatus', reason: `unknown status "${twilioStatus}"` },
      ]);
    }
    await this.events.record([
      {
        messageId: messageId.toLowerCase(),
        status: TWILIO_STATUS[twilioStatus],
        eventType: twilioStatus,
        source: 'twilio',
        providerEventId: `${params.MessageSid}:${twilioStatus}`,
        providerMessageId: params.MessageSid,
        error: params.ErrorCode ? `twilio ${params.ErrorCode}` : null,
        payload: params,
      },
    ]);
  }
}
