import { setTimeout as sleep } from 'node:timers/promises';
import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SANDBOX_SMS } from './magic';
import { LiveConfig } from './sandbox-config';
import { TWILIO_ERRORS, TwilioError } from './twilio-errors';
import { TWILIO_API_VERSION, TwilioMessagesService } from './twilio-messages.service';

function field(body: unknown, name: string): string | undefined {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** Twilio's Messages API: HTTP Basic auth with the account SID and the sandbox auth token. */
@Controller(`${TWILIO_API_VERSION}/Accounts/:accountSid`)
export class TwilioMessagesController {
  constructor(
    private readonly messages: TwilioMessagesService,
    private readonly config: LiveConfig,
  ) {}

  @Post('Messages.json')
  async create(@Param('accountSid') accountSid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.authorized(req, accountSid)) return this.fail(res, TWILIO_ERRORS.authenticate());
    if (this.config.latencyMs > 0) await sleep(this.config.latencyMs);
    if (this.config.shouldFail()) return this.fail(res, TWILIO_ERRORS.unavailable());

    const to = field(req.body, 'To')?.trim();
    const from = field(req.body, 'From') ?? field(req.body, 'MessagingServiceSid');
    const body = field(req.body, 'Body');
    if (!to) return this.fail(res, TWILIO_ERRORS.missingTo());
    if (body === undefined || body === '') return this.fail(res, TWILIO_ERRORS.missingBody());
    if (!from) return this.fail(res, TWILIO_ERRORS.missingFrom());
    if (to === SANDBOX_SMS.alwaysFail) return this.fail(res, TWILIO_ERRORS.invalidTo(to));
    if (to === SANDBOX_SMS.notMobile) return this.fail(res, TWILIO_ERRORS.notMobile(to));

    const traceparent = req.headers.traceparent;
    const resource = this.messages.accept({
      accountSid,
      to,
      from,
      body,
      statusCallback: field(req.body, 'StatusCallback') || null,
      traceparent: typeof traceparent === 'string' ? traceparent : null,
    });
    res.status(201).json(resource);
  }

  @Get('Messages/:sid.json')
  fetch(@Param('accountSid') accountSid: string, @Param('sid') sid: string, @Req() req: Request, @Res() res: Response): void {
    if (!this.authorized(req, accountSid)) return this.fail(res, TWILIO_ERRORS.authenticate());
    const record = this.messages.find(accountSid, sid);
    if (!record) {
      return this.fail(res, TWILIO_ERRORS.notFound(`/${TWILIO_API_VERSION}/Accounts/${accountSid}/Messages/${sid}.json`));
    }
    res.status(200).json(this.messages.resource(record));
  }

  private authorized(req: Request, accountSid: string): boolean {
    const header = req.headers.authorization;
    if (!header || !/^basic /i.test(header)) return false;
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    return decoded.slice(0, colon) === accountSid && decoded.slice(colon + 1) === this.config.env.SANDBOX_AUTH_TOKEN;
  }

  private fail(res: Response, err: TwilioError): void {
    if (err.status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="Twilio API"');
    res.status(err.status).json(err);
  }
}
