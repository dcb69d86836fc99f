import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { loadConfig, statusIngestSchema } from '@utskick/config';
import { DomainError, isUuid, storableText, ValidationError } from '@utskick/http';
import { trustedTenantId } from '@utskick/persistence';
import { verifyElksCallbackToken, verifyTwilioSignature } from '@utskick/providers';
import { HandleInboundSms } from '@utskick/suppression';
import type { Request, Response } from 'express';

type Form = Record<string, string>;

const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** The form fields of an inbound SMS; the text itself may be empty, the ids and numbers may not. */
function fields(form: unknown, names: { id: string; from: string; to: string; text: string }) {
  const f = (form && typeof form === 'object' ? form : {}) as Form;
  const value = (name: string) => (typeof f[name] === 'string' ? f[name] : undefined);
  const missing = [names.id, names.from, names.to].filter((n) => !value(n)?.trim());
  if (value(names.text) === undefined) missing.push(names.text);
  if (missing.length) throw new ValidationError(missing.map((field) => ({ field, reason: 'is required' })), 'Not an inbound SMS');
  // The database takes no NUL and no unpaired surrogate: such a field is a bad request, not a 500.
  const broken = [names.id, names.from, names.to].filter((n) => !storableText().safeParse(f[n]).success);
  if (broken.length) throw new ValidationError(broken.map((field) => ({ field, reason: 'contains a NUL character or an unpaired surrogate' })), 'Not an inbound SMS');
  return { id: f[names.id], from: f[names.from], to: f[names.to], text: f[names.text] };
}

/**
 * Inbound SMS from both providers. Twilio signs its request (X-Twilio-Signature over the
 * PUBLIC_BASE_URL form of the URL) and takes a reply as TwiML; 46elks signs nothing, so its URL
 * carries the tenant's token, and it sends a non-empty response body back as the reply SMS.
 */
@Controller('webhooks')
export class InboundSmsController {
  private readonly cfg = loadConfig(statusIngestSchema);
  private readonly authToken = this.cfg.TWILIO_AUTH_TOKEN ?? this.cfg.SANDBOX_AUTH_TOKEN;
  private readonly base = this.cfg.PUBLIC_BASE_URL.replace(/\/$/, '');

  constructor(private readonly inbound: HandleInboundSms) {}

  @Post('twilio/inbound')
  @HttpCode(200)
  async twilio(@Body() body: Form, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<string> {
    const params = body && typeof body === 'object' ? body : {};
    if (!this.authToken || !verifyTwilioSignature(this.authToken, this.base + req.originalUrl, params, req.header('x-twilio-signature'))) {
      throw new DomainError('bad_signature', 403, 'The X-Twilio-Signature does not match this request');
    }
    const f = fields(params, { id: 'MessageSid', from: 'From', to: 'To', text: 'Body' });
    const { reply } = await this.inbound.execute({ provider: 'twilio', providerMessageId: f.id, from: f.from, to: f.to, body: f.text });
    res.type('text/xml');
    return reply === null ? '<Response/>' : `<Response><Message>${xmlEscape(reply)}</Message></Response>`;
  }

  @Post('46elks/:tenantId/:token/inbound')
  async elks(
    @Param('tenantId') tenantId: string,
    @Param('token') token: string,
    @Body() body: Form,
    @Res() res: Response,
  ): Promise<void> {
    if (!isUuid(tenantId) || !verifyElksCallbackToken(this.cfg.ELKS_CALLBACK_SECRET, tenantId, token)) {
      throw new DomainError('bad_token', 403, 'The callback token does not match this tenant');
    }
    const f = fields(body, { id: 'id', from: 'from', to: 'to', text: 'message' });
    const { reply } = await this.inbound.execute({
      provider: '46elks',
      providerMessageId: f.id,
      from: f.from,
      to: f.to,
      body: f.text,
      tenantId: trustedTenantId(tenantId.toLowerCase()),
    });
    // 46elks sends a non-empty response body to the sender as an SMS; an empty 204 sends nothing.
    if (reply === null) res.status(204).end();
    else res.status(200).type('text/plain; charset=utf-8').send(reply);
  }
}
