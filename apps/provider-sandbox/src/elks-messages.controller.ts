import { setTimeout as sleep } from 'node:timers/promises';
import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SANDBOX_SMS } from './magic';
import { LiveConfig } from './sandbox-config';
import { ElksMessagesService } from './elks-messages.service';

const E164 = /^\+[1-9][0-9]{6,14}$/;
/** A text sender: 3–11 letters and digits. */
const TEXT_SENDER = /^[A-Za-z0-9]{3,11}$/;

function field(body: unknown, name: string): string | undefined {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** 46elks' SMS API: Basic auth `sandbox`:SANDBOX_AUTH_TOKEN; errors are plain-text reasons. */
@Controller('a1')
export class ElksMessagesController {
  constructor(
    private readonly messages: ElksMessagesService,
    private readonly config: LiveConfig,
  ) {}

  @Post('sms')
  async send(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.authorized(req)) return this.fail(res, 401, 'Authentication failed');
    if (this.config.latencyMs > 0) await sleep(this.config.latencyMs);
    if (this.config.shouldFail()) return this.fail(res, 503, 'Service unavailable');

    const to = field(req.body, 'to')?.trim();
    const from = field(req.body, 'from')?.trim();
    const message = field(req.body, 'message');
    if (!to) return this.fail(res, 400, 'Missing key to');
    if (!from) return this.fail(res, 400, 'Missing key from');
    if (!message) return this.fail(res, 400, 'Missing key message');
    if (!E164.test(to) || to === SANDBOX_SMS.alwaysFail) return this.fail(res, 400, 'Invalid to number');
    if (!E164.test(from) && !TEXT_SENDER.test(from)) return this.fail(res, 400, 'Invalid from');

    const traceparent = req.headers.traceparent;
    res.status(200).json(
      this.messages.accept({
        to,
        from,
        message,
        whendelivered: field(req.body, 'whendelivered') || null,
        traceparent: typeof traceparent === 'string' ? traceparent : null,
      }),
    );
  }

  @Get('sms/:id')
  fetch(@Param('id') id: string, @Req() req: Request, @Res() res: Response): void {
    if (!this.authorized(req)) return this.fail(res, 401, 'Authentication failed');
    const record = this.messages.find(id);
    if (!record) return this.fail(res, 404, 'Not found');
    res.status(200).json(this.messages.resource(record));
  }

  private authorized(req: Request): boolean {
    const header = req.headers.authorization;
    if (!header || !/^basic /i.test(header)) return false;
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 && decoded.slice(0, colon) === 'sandbox' && decoded.slice(colon + 1) === this.config.env.SANDBOX_AUTH_TOKEN;
  }

  private fail(res: Response, status: number, reason: string): void {
    if (status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="46elks API"');
    res.status(status).type('text/plain').send(reason);
  }
}
