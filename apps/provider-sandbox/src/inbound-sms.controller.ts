import { randomBytes } from 'node:crypto';
import { BadRequestException, Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { twilioSignature } from '@utskick/providers';
import { z } from 'zod';
import { SANDBOX_ENV, SandboxEnv } from './sandbox-config';
import { SandboxState } from './sandbox-state';
import { newSmsRecord } from './sms-progress';
import { smsSegments } from './sms-segments';

const inboundSchema = z
  .object({
    provider: z.enum(['twilio', '46elks']),
    from: z.string().min(1),
    to: z.string().min(1),
    body: z.string(),
    /** 46elks: the number's sms_url (the test builds it with elksCallbackUrl). */
    url: z.string().url().optional(),
    /** The provider's message id; repeat one to play a provider retrying its webhook. */
    id: z.string().min(1).max(64).optional(),
  })
  .strict()
  .refine((b) => b.provider !== '46elks' || b.url, { message: 'url is required for 46elks', path: ['url'] });

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The text of a TwiML reply: the first <Message> (or its <Body>), XML-unescaped; null for none. */
export function twimlReply(xml: string): string | null {
  const m = /<Message(?:\s[^>]*)?>([\s\S]*?)<\/Message>/.exec(xml);
  if (!m) return null;
  const inner = /<Body(?:\s[^>]*)?>([\s\S]*?)<\/Body>/.exec(m[1])?.[1] ?? m[1];
  return inner.replace(/&(amp|lt|gt|quot|apos|#(\d+)|#x([0-9a-f]+));/gi, (_, name: string, dec?: string, hex?: string) =>
    dec ? String.fromCodePoint(Number(dec)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : XML_ENTITIES[name.toLowerCase()],
  );
}

/**
 * Plays a handset sending an SMS to one of our numbers: posts it to status-ingest as the provider
 * would (Twilio: signed form to /webhooks/twilio/inbound; 46elks: form to the number's sms_url),
 * and logs the provider's reply SMS (TwiML <Message> / 46elks response body) as an outgoing SMS.
 */
@Controller('sandbox')
export class InboundSmsController {
  constructor(
    @Inject(SANDBOX_ENV) private readonly env: SandboxEnv,
    private readonly state: SandboxState,
  ) {}

  @Post('inbound')
  @HttpCode(200)
  async inbound(@Body() raw: unknown): Promise<{ status: number; reply: string | null; id: string }> {
    const parsed = inboundSchema.safeParse(raw ?? {});
    if (!parsed.success) {
      throw new BadRequestException({
        message: 'invalid inbound SMS',
        issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`),
      });
    }
    const b = parsed.data;
    let url: string;
    let params: Record<string, string>;
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (b.provider === 'twilio') {
      const sid = b.id ?? 'SM' + randomBytes(16).toString('hex');
      url = `${this.env.STATUS_INGEST_URL.replace(/\/$/, '')}/webhooks/twilio/inbound`;
      params = {
        ToCountry: 'SE',
        SmsMessageSid: sid,
        NumMedia: '0',
        SmsSid: sid,
        SmsStatus: 'received',
        Body: b.body,
        To: b.to,
        NumSegments: String(smsSegments(b.body)),
        MessageSid: sid,
        AccountSid: 'ACsandbox00000000000000000000000000',
        From: b.from,
        ApiVersion: '2010-04-01',
      };
      headers['x-twilio-signature'] = twilioSignature(this.env.SANDBOX_AUTH_TOKEN, url, params);
    } else {
      url = b.url!;
      params = {
        direction: 'incoming',
        id: b.id ?? 's' + randomBytes(16).toString('hex'),
        from: b.from,
        to: b.to,
        message: b.body,
        created: new Date().toISOString().replace('Z', ''),
      };
    }
    const res = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
    const text = await res.text();
    let reply: string | null = null;
    if (res.ok) reply = b.provider === 'twilio' ? twimlReply(text) : text.trim() ? text : null;
    if (reply) this.logReply(b.provider, b.to, b.from, reply);
    return { status: res.status, reply, id: b.provider === 'twilio' ? params.MessageSid : params.id };
  }

  private logReply(provider: 'twilio' | '46elks', from: string, to: string, body: string): void {
    const sid = (provider === 'twilio' ? 'SM' : 's') + randomBytes(16).toString('hex');
    const record = newSmsRecord({ provider, sid, accountSid: 'ACsandbox00000000000000000000000000', to, from, body, traceparent: null, callbackUrl: null });
    this.state.smsRecords.set(sid, { ...record, status: 'delivered', deliveredAt: record.dateCreated });
  }
}
