import { z } from 'zod';

/** Raised at boot when an environment variable is missing or malformed; names the variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Parses one concern's variables out of the environment. The process refuses to start
 * with a message naming each bad variable.
 */
export function loadConfig<S extends z.ZodType<Record<string, unknown>>>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`),
    );
  }
  return result.data;
}

/**
 * loadConfig for module-level use (before the service's own error handling exists): a bad
 * variable ends the process with one JSON line naming it, not a stack trace.
 */
export function loadConfigOrExit<S extends z.ZodType<Record<string, unknown>>>(schema: S): z.infer<S> {
  try {
    return loadConfig(schema);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(JSON.stringify({ level: 60, service: process.env.SERVICE_NAME, msg: err.message }));
    process.exit(1);
  }
}

const int = (def: number) => z.coerce.number().int().nonnegative().default(def);
const port = (def: number) => z.coerce.number().int().min(0).max(65535).default(def);

/** status-ingest's external URL (contracts.md): https, or http on a loopback host for local runs. */
const publicBaseUrl = () =>
  z
    .string()
    .url()
    .default('http://127.0.0.1:3001')
    .refine((v) => {
      const u = new URL(v);
      return u.protocol === 'https:' || (u.protocol === 'http:' && /^(127(\.\d{1,3}){3}|localhost|\[::1\])$/.test(u.hostname));
    }, 'must be https (http only on a loopback host such as 127.0.0.1)');

export const databaseSchema = z.object({
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/utskick'),
  DB_POOL_SIZE: int(10),
});
export type DatabaseConfig = z.infer<typeof databaseSchema>;

export const natsSchema = z.object({
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  /** Prefix of every subject and stream name (durables live inside the prefixed streams): lets test runs and environments share one server. */
  NATS_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _ only')
    .default('utskick'),
});
export type NatsConfig = z.infer<typeof natsSchema>;

export const observabilitySchema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SERVICE_NAME: z.string().optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
});
export type ObservabilityConfig = z.infer<typeof observabilitySchema>;

export const apiSchema = z.object({
  API_PORT: port(3000),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  /** With the two below, the admin API shows the webhook URLs to set at the providers for a tenant. */
  PUBLIC_BASE_URL: publicBaseUrl(),
  ELKS_CALLBACK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Name servers that verify sending domains' DKIM records (comma-separated `ip` or `ip:port`); the system's when unset. */
  DNS_SERVERS: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(z.string().regex(/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\])(:\d{1,5})?$/i, 'IPv4 or [IPv6] addresses with an optional :port, such as 127.0.0.1:5353')))
    .optional(),
});

/** Prices per SMS part by destination country (ISO 3166 alpha-2, or "default"), in minor units of SMS_CURRENCY. */
const priceTable = z
  .string()
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object such as {"SE": 45, "default": 60}' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .record(z.string().regex(/^([A-Z]{2}|default)$/, 'keys are country codes (SE) or "default"'), z.number().int().min(0))
      .refine((t) => 'default' in t, 'must have a "default" price'),
  );

export const smsSchema = z.object({
  SMS_PRICES: priceTable.default({ default: 65, SE: 45, NO: 55, DK: 55, FI: 55, FR: 70, GB: 50 }),
  SMS_CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code').default('SEK'),
  /** The platform's shared short code: text senders' opt-out text points at it; a plain STOP to it blocks globally. */
  SHARED_SHORT_CODE: z.string().regex(/^[0-9]{3,8}$/, 'digits only').default('72080'),
});
export type SmsConfig = z.infer<typeof smsSchema>;

/** Keys of the e-mail channel: signed links in mails and pages, and DKIM private keys at rest. */
export const emailSecretsSchema = z.object({
  /** HMAC key of unsubscribe, re-subscribe and confirmation link tokens. */
  LINK_SECRET: z.string().min(16, 'must be at least 16 characters'),
  /** Encrypts each sending domain's DKIM private key in the database (AES-256-GCM). */
  DOMAIN_KEY_SECRET: z.string().min(16, 'must be at least 16 characters'),
  PUBLIC_BASE_URL: publicBaseUrl(),
});
export type EmailSecretsConfig = z.infer<typeof emailSecretsSchema>;

/** What a tenant's sending domain is told to publish. */
export const sendingDomainSchema = z.object({
  /** The platform's SPF record a tenant's SPF includes. */
  SPF_INCLUDE: z.string().regex(/^[a-z0-9_.-]+$/i, 'a domain name').default('_spf.utskick.test'),
});

export const schedulerSchema = z.object({
  SCHEDULER_PORT: port(3002),
  FANOUT_BATCH_SIZE: z.coerce.number().int().min(1).max(20000).default(5000),
  /** Pause between fan-out batches; 0 in production, raised by tests that kill the scheduler mid-fan-out. */
  FANOUT_BATCH_PAUSE_MS: int(0),
  RELEASE_POLL_MS: int(1000),
  SWEEP_INTERVAL_MS: int(5000),
  /** A queued or deferred row untouched this long, while the send stream holds no job, has its job published again. */
  SWEEP_STALE_MS: int(30000),
  /** The same while the send stream still holds a backlog (a row's job may be waiting in it). */
  SWEEP_BACKLOG_STALE_MS: int(600000),
  PUBLISH_WINDOW: z.coerce.number().int().min(1).default(512),
});

export const workerSchema = z
  .object({
    WORKER_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
    WORKER_BATCHES_IN_FLIGHT: z.coerce.number().int().min(1).max(64).default(4),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(4096).default(256),
    CLAIM_LEASE_MS: z.coerce.number().int().min(1000).default(60000),
    RETRY_BASE_MS: z.coerce.number().int().min(10).default(1000),
    RETRY_MAX_MS: z.coerce.number().int().min(10).default(60000),
    BREAKER_RESET_MS: z.coerce.number().int().min(100).default(10000),
    BREAKER_ERROR_PERCENT: z.coerce.number().int().min(1).max(100).default(50),
    BREAKER_VOLUME: z.coerce.number().int().min(1).default(20),
    PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).default(15000),
    /** A message still not accepted this long after it was queued is failed (retries exhausted). */
    MESSAGE_VALIDITY_MS: z.coerce.number().int().min(1000).default(10 * 3600 * 1000),
  })
  .refine((c) => c.CLAIM_LEASE_MS >= c.PROVIDER_TIMEOUT_MS + 2000, {
    path: ['CLAIM_LEASE_MS'],
    message: 'must exceed PROVIDER_TIMEOUT_MS by at least 2000 ms (a send has to finish inside its claim)',
  });

export type WorkerConfig = z.infer<typeof workerSchema>;

/** 46elks: unset username means the provider sandbox; the callback secret keys the per-tenant token in callback URLs. */
const elksSchema = {
  ELKS_USERNAME: z.string().optional(),
  ELKS_PASSWORD: z.string().optional(),
  ELKS_BASE_URL: z.string().url().default('https://api.46elks.com'),
  ELKS_CALLBACK_SECRET: z.string().min(16, 'must be at least 16 characters'),
};

export const smsProviderSchema = z.object({
  SMS_WORKER_PORT: port(3003),
  /** Unset: the provider sandbox is used. */
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_BASE_URL: z.string().url().default('https://api.twilio.com'),
  SANDBOX_URL: z.string().url().default('http://127.0.0.1:3100'),
  SANDBOX_AUTH_TOKEN: z.string().optional(),
  PUBLIC_BASE_URL: publicBaseUrl(),
  ...elksSchema,
  /** A `sent` SMS with no report this long is polled from its provider (again after as long). */
  SMS_POLL_AFTER_MS: z.coerce.number().int().min(100).default(900_000),
  SMS_POLL_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
});

export const emailProviderSchema = z.object({
  EMAIL_WORKER_PORT: port(3004),
  SMTP_URL: z.string().default('smtp://127.0.0.1:2525'),
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  EMAIL_FROM: z.string().default('Utskick <noreply@utskick.test>'),
  /** Domain of the VERP Return-Path bounces+<id>.<hmac>@<domain>. */
  VERP_DOMAIN: z.string().default('bounces.utskick.test'),
  VERP_SECRET: z.string().min(16, 'must be at least 16 characters'),
  /** A recipient's server answering 4xx (soft bounce) is retried this long after queueing, then the message is `bounced`. */
  EMAIL_SOFT_BOUNCE_WINDOW_MS: z.coerce.number().int().min(1000).default(5 * 24 * 3600 * 1000),
  /** The longest pause between two tries of a soft-bounced message. */
  EMAIL_SOFT_BOUNCE_RETRY_MAX_MS: z.coerce.number().int().min(10).default(30 * 60 * 1000),
});

export const statusIngestSchema = z.object({
  STATUS_INGEST_PORT: port(3001),
  PUBLIC_BASE_URL: publicBaseUrl(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  SANDBOX_AUTH_TOKEN: z.string().optional(),
  /** Key of the sandbox's e-mail event webhook signature (HMAC-SHA256). */
  SANDBOX_WEBHOOK_SECRET: z.string().optional(),
  ...elksSchema,
  /** Bounce mail (RFC 3464 reports to VERP addresses) over SMTP; listens only when VERP_SECRET is set. */
  STATUS_INGEST_SMTP_PORT: port(2526),
  VERP_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** SendGrid's Signed Event Webhook verification key (base64 DER, as SendGrid shows it); unset: the webhook answers 403. */
  SENDGRID_WEBHOOK_PUBLIC_KEY: z.string().min(40, 'the base64 public key SendGrid shows').optional(),
  /** Comma-separated SNS topic ARNs accepted at /webhooks/ses; unset: /webhooks/ses accepts nothing (403). */
  SES_SNS_TOPIC_ARNS: z.string().optional(),
  /** Tests only: answer this PEM for every SNS certificate URL (the signature is still checked in full). */
  SNS_CERT_PEM_FILE: z.string().optional(),
  INGEST_BATCH_MAX: z.coerce.number().int().min(1).default(1000),
  INGEST_BATCH_WAIT_MS: z.coerce.number().int().min(0).default(5),
});

export const sandboxSchema = z.object({
  SANDBOX_HTTP_PORT: port(3100),
  SANDBOX_SMTP_PORT: port(2525),
  SANDBOX_AUTH_TOKEN: z.string().min(8),
  SANDBOX_WEBHOOK_SECRET: z.string().min(8),
  /** Where delivery events are posted when a send does not name a callback (e-mail). */
  STATUS_INGEST_URL: z.string().url().default('http://127.0.0.1:3001'),
  SANDBOX_LATENCY_MS: int(0),
  SANDBOX_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  SANDBOX_CALLBACK_DELAY_MS: int(0),
  SANDBOX_SMS_CALLBACK_STATUSES: z.string().default('delivered'),
});
