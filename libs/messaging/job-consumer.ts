import { SetMetadata } from '@nestjs/common';
import { Context } from '@opentelemetry/api';
import { SubjectKind, SubjectPayloads } from './subjects';

export interface Job<K extends SubjectKind> {
  payload: SubjectPayloads[K];
  /** 1 on first delivery. */
  deliveryCount: number;
  trace: Context;
}

/** What a handler answers for each job; the consumer host maps it onto JetStream in one place. */
export type Outcome =
  | { kind: 'ack' }
  | { kind: 'retry'; delayMs: number; reason?: string }
  | { kind: 'drop'; reason: string };

export const ack = (): Outcome => ({ kind: 'ack' });
export const retry = (delayMs: number, reason?: string): Outcome => ({ kind: 'retry', delayMs, reason });
export const drop = (reason: string): Outcome => ({ kind: 'drop', reason });

export interface JobHandler<K extends SubjectKind> {
  /** Handles a batch; answers one outcome per job, in order. */
  handle(jobs: Job<K>[]): Promise<Outcome[]>;
  /**
   * Resolves when the handler can take new work (a provider whose breaker is open makes it
   * wait); may cap the next batch (a half-open breaker wants one probe, not a batch).
   */
  ready?(): Promise<{ maxBatch: number } | undefined | void>;
}

export interface JobConsumerOptions {
  batchSize?: number;
  batchesInFlight?: number;
  ackWaitMs?: number;
}

export const JOB_CONSUMER = Symbol('JOB_CONSUMER');
export interface JobConsumerMeta extends JobConsumerOptions {
  kind: SubjectKind;
}

/** Marks a provider as the handler of one subject kind; the consumer host finds it at boot. */
export const JobConsumer = (kind: SubjectKind, options: JobConsumerOptions = {}) =>
  SetMetadata(JOB_CONSUMER, { kind, ...options } satisfies JobConsumerMeta);
