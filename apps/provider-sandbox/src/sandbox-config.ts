import { Inject, Injectable } from '@nestjs/common';
import { ConfigError, sandboxSchema } from '@utskick/config';
import { z } from 'zod';

export type SandboxEnv = z.infer<typeof sandboxSchema>;

/** Injection token of the parsed environment the sandbox started with. */
export const SANDBOX_ENV = Symbol('SANDBOX_ENV');

export const SMS_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'read'] as const;
export type SmsStatus = (typeof SMS_STATUSES)[number];

export interface LiveSettings {
  latencyMs: number;
  failureRate: number;
  callbackDelayMs: number;
  smsCallbackStatuses: SmsStatus[];
  /** False: no SMS callback at all (messages still move through their statuses, for polling). */
  smsCallbacks: boolean;
}

/** Body of POST /sandbox/config: every field optional, unknown fields refused. */
export const configUpdateSchema = z
  .object({
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    failureRate: z.number().min(0).max(1).optional(),
    callbackDelayMs: z.number().int().min(0).max(3_600_000).optional(),
    smsCallbackStatuses: z.array(z.enum(SMS_STATUSES)).max(10).optional(),
    smsCallbacks: z.boolean().optional(),
  })
  .strict();
export type ConfigUpdate = z.infer<typeof configUpdateSchema>;

export function parseStatusList(list: string): SmsStatus[] {
  const statuses = list.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = statuses.filter((s) => !(SMS_STATUSES as readonly string[]).includes(s));
  if (bad.length) {
    throw new ConfigError([`SANDBOX_SMS_CALLBACK_STATUSES: unknown status ${bad.join(', ')} (one of ${SMS_STATUSES.join(', ')})`]);
  }
  return statuses as SmsStatus[];
}

/** The behaviour knobs, changeable at run time through /sandbox/config and restored by /sandbox/reset. */
@Injectable()
export class LiveConfig implements LiveSettings {
  latencyMs = 0;
  failureRate = 0;
  callbackDelayMs = 0;
  smsCallbackStatuses: SmsStatus[] = ['delivered'];
  smsCallbacks = true;

  constructor(@Inject(SANDBOX_ENV) readonly env: SandboxEnv) {
    this.reset();
  }

  reset(): void {
    this.latencyMs = this.env.SANDBOX_LATENCY_MS;
    this.failureRate = this.env.SANDBOX_FAILURE_RATE;
    this.callbackDelayMs = this.env.SANDBOX_CALLBACK_DELAY_MS;
    this.smsCallbackStatuses = parseStatusList(this.env.SANDBOX_SMS_CALLBACK_STATUSES);
    this.smsCallbacks = true;
  }

  apply(update: ConfigUpdate): void {
    if (update.latencyMs !== undefined) this.latencyMs = update.latencyMs;
    if (update.failureRate !== undefined) this.failureRate = update.failureRate;
    if (update.callbackDelayMs !== undefined) this.callbackDelayMs = update.callbackDelayMs;
    if (update.smsCallbackStatuses !== undefined) this.smsCallbackStatuses = [...update.smsCallbackStatuses];
    if (update.smsCallbacks !== undefined) this.smsCallbacks = update.smsCallbacks;
  }

  /** True with probability failureRate. */
  shouldFail(): boolean {
    return this.failureRate > 0 && Math.random() < this.failureRate;
  }

  snapshot(): LiveSettings {
    return {
      latencyMs: this.latencyMs,
      failureRate: this.failureRate,
      callbackDelayMs: this.callbackDelayMs,
      smsCallbackStatuses: [...this.smsCallbackStatuses],
      smsCallbacks: this.smsCallbacks,
    };
  }
}
