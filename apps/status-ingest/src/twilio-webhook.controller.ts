import { Body, Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { loadConfig, statusIngestSchema } from '@utskick/config';
import { DomainError, isUuid } from '@utskick/http';
import { smsReportEventId, twilioReport, verifyTwilioSignature } from '@utskick/providers';
import type { Request } from 'express';
import { StatusEvents } from './status-events';

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
    const report = twilioReport(twilioStatus, params.ErrorCode);
    if (!isUuid(messageId) || !report || typeof params.MessageSid !== 'string' || !params.MessageSid) {
      throw new DomainError('bad_callback', 400, 'Not a Twilio status callback for one of our messages', [
        { field: 'MessageStatus', reason: `unknown status "${twilioStatus}"` },
      ]);
    }
    await this.events.record([
      {
        messageId: messageId.toLowerCase(),
        status: report.status,
        eventType: twilioStatus,
        source: 'twilio',
        providerEventId: smsReportEventId(params.MessageSid, twilioStatus),
        providerMessageId: params.MessageSid,
        error: report.error,
        payload: params,
        markNotMobile: report.markNotMobile,
      },
    ]);
  }
}
