import { BadRequestException, Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { CallbackSender } from './callback-sender';
import { EmailEventBatcher } from './email-events.batcher';
import { configUpdateSchema, LiveConfig, LiveSettings } from './sandbox-config';
import { MAX_SMS_RECORDS, SandboxState } from './sandbox-state';

function parseLimit(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 100;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new BadRequestException('limit must be a positive integer');
  return Math.min(n, MAX_SMS_RECORDS);
}

/** Unauthenticated control surface for tests and benchmarks (it is a sandbox). */
@Controller('sandbox')
export class ControlController {
  constructor(
    private readonly state: SandboxState,
    private readonly config: LiveConfig,
    private readonly sender: CallbackSender,
    private readonly events: EmailEventBatcher,
  ) {}

  @Get('stats')
  stats() {
    return this.state.stats();
  }

  /** Forgets everything and restores the configuration from the environment. */
  @Post('reset')
  @HttpCode(204)
  reset(): void {
    this.events.reset();
    this.sender.reset();
    this.state.clear();
    this.config.reset();
  }

  @Get('config')
  getConfig(): LiveSettings {
    return this.config.snapshot();
  }

  @Post('config')
  @HttpCode(200)
  setConfig(@Body() body: unknown): LiveSettings {
    const parsed = configUpdateSchema.safeParse(body ?? {});
    if (!parsed.success) {
      throw new BadRequestException({
        message: 'invalid sandbox config',
        issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`),
      });
    }
    this.config.apply(parsed.data);
    return this.config.snapshot();
  }

  @Get('sms')
  sms(@Query('to') to?: string, @Query('limit') limit?: string) {
    const items = this.state.smsRecords.latest(parseLimit(limit), to ? (r) => r.to === to : undefined);
    return {
      items: items.map((r) => ({
        provider: r.provider,
        sid: r.sid,
        to: r.to,
        from: r.from,
        body: r.body,
        numSegments: r.numSegments,
        messageId: r.messageId,
        traceparent: r.traceparent,
        status: r.status,
        acceptedAt: r.acceptedAt,
      })),
    };
  }

  @Get('emails')
  emails(@Query('to') to?: string, @Query('limit') limit?: string) {
    const wanted = to?.toLowerCase();
    const items = this.state.emailRecords.latest(
      parseLimit(limit),
      wanted ? (r) => r.to.some((a) => a.toLowerCase() === wanted) : undefined,
    );
    return { items };
  }
}
