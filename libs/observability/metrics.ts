import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process: defaults plus the platform's own series, shared by every module. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const messagesSent = new Counter({
  name: 'utskick_messages_sent_total',
  help: 'Messages accepted by a provider',
  labelNames: ['channel', 'provider'] as const,
  registers: [registry],
});

export const messagesFailed = new Counter({
  name: 'utskick_messages_failed_total',
  help: 'Messages that ended failed at submission, or a retryable submission error',
  labelNames: ['channel', 'provider', 'kind'] as const,
  registers: [registry],
});

export const jobsHandled = new Counter({
  name: 'utskick_jobs_handled_total',
  help: 'JetStream jobs by outcome',
  labelNames: ['subject', 'outcome'] as const,
  registers: [registry],
});

export const consumerLag = new Gauge({
  name: 'utskick_consumer_lag',
  help: 'Messages not yet delivered to a durable consumer (num_pending)',
  labelNames: ['stream', 'consumer'] as const,
  registers: [registry],
});

export const consumerAckPending = new Gauge({
  name: 'utskick_consumer_ack_pending',
  help: 'Messages delivered to a durable consumer and not yet acknowledged',
  labelNames: ['stream', 'consumer'] as const,
  registers: [registry],
});

export const breakerState = new Gauge({
  name: 'utskick_breaker_state',
  help: 'Circuit breaker per provider account: 0 closed, 1 half-open, 2 open',
  labelNames: ['provider', 'account'] as const,
  registers: [registry],
});

export const providerLatency = new Histogram({
  name: 'utskick_provider_request_seconds',
  help: 'Provider submission latency',
  labelNames: ['channel', 'provider'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const statusEvents = new Counter({
  name: 'utskick_status_events_total',
  help: 'Provider status events received, by whether they moved a message',
  labelNames: ['source', 'result'] as const,
  registers: [registry],
});

export const leaseExpired = new Counter({
  name: 'utskick_lease_expired_total',
  help: 'Claims taken over after their lease ran out: messages a dead or stuck worker may already have submitted (the only duplicate window)',
  labelNames: ['channel', 'by'] as const,
  registers: [registry],
});
