import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { loadConfig, smsProviderSchema, workerSchema } from '@utskick/config';
import { logger } from '@utskick/observability';
import { ElksAccount, ElksProvider, SmsStatusSource, TwilioAccount, TwilioProvider } from '@utskick/providers';

const log = logger('sms-providers');

type SmsProviderConfig = ReturnType<typeof loadConfig<typeof smsProviderSchema>>;

/** The Twilio account: real credentials when set, else the provider sandbox when its token is set, else none. */
function twilioAccount(cfg: SmsProviderConfig): TwilioAccount | null {
  if (cfg.TWILIO_ACCOUNT_SID) {
    if (!cfg.TWILIO_AUTH_TOKEN) throw new Error('TWILIO_AUTH_TOKEN: required when TWILIO_ACCOUNT_SID is set');
    return { sid: cfg.TWILIO_ACCOUNT_SID, authToken: cfg.TWILIO_AUTH_TOKEN, baseUrl: cfg.TWILIO_BASE_URL };
  }
  if (!cfg.SANDBOX_AUTH_TOKEN) return null;
  return { sid: 'ACsandbox00000000000000000000000000', authToken: cfg.SANDBOX_AUTH_TOKEN, baseUrl: cfg.SANDBOX_URL };
}

/** The 46elks account: real credentials when set, else the provider sandbox (user `sandbox`), else none. */
function elksAccount(cfg: SmsProviderConfig): ElksAccount | null {
  if (cfg.ELKS_USERNAME) {
    if (!cfg.ELKS_PASSWORD) throw new Error('ELKS_PASSWORD: required when ELKS_USERNAME is set');
    return { username: cfg.ELKS_USERNAME, password: cfg.ELKS_PASSWORD, baseUrl: cfg.ELKS_BASE_URL };
  }
  if (!cfg.SANDBOX_AUTH_TOKEN) return null;
  return { username: 'sandbox', password: cfg.SANDBOX_AUTH_TOKEN, baseUrl: cfg.SANDBOX_URL };
}

/** The worker's SMS provider accounts, shared by sending and polling; closed after the consumers drained. */
@Injectable()
export class SmsProviders implements OnApplicationShutdown {
  /** Null when this deployment has no account for it: its messages wait (deferred) until one is configured or they expire. */
  readonly twilio: TwilioProvider | null;
  readonly elks: ElksProvider | null;

  constructor() {
    const cfg = loadConfig(smsProviderSchema);
    const w = loadConfig(workerSchema);
    const twilio = twilioAccount(cfg);
    const elks = elksAccount(cfg);
    if (!twilio && !elks) {
      throw new Error('no SMS provider: set TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN, ELKS_USERNAME/ELKS_PASSWORD, or SANDBOX_AUTH_TOKEN for the sandbox');
    }
    // One connection per submission slot (DispatchBatch never has more in flight per provider).
    this.twilio = twilio && new TwilioProvider(twilio, w.WORKER_CONCURRENCY, w.PROVIDER_TIMEOUT_MS);
    this.elks = elks && new ElksProvider(elks, w.WORKER_CONCURRENCY, w.PROVIDER_TIMEOUT_MS);
    if (!this.twilio) log.warn('Twilio is not configured: messages of Twilio tenants wait until it is');
    if (!this.elks) log.warn('46elks is not configured: messages of 46elks tenants wait until it is');
  }

  /** A message's provider by the name the fan-out recorded; rows without one are Twilio's. */
  nameOf(provider: string | null): 'twilio' | '46elks' {
    return provider === '46elks' ? '46elks' : 'twilio';
  }

  statusSources(): SmsStatusSource[] {
    return [this.twilio, this.elks].filter((p): p is TwilioProvider | ElksProvider => p !== null);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.twilio?.close(), this.elks?.close()]);
  }
}
