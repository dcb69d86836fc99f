import {
  AckPolicy,
  ConsumerConfig,
  DeliverPolicy,
  JetStreamApiError,
  JetStreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { STREAMS, SubjectKind, Subjects, streamOf } from './subjects';

function isNotFound(err: unknown): boolean {
  return err instanceof JetStreamApiError && (err.code === 404 || /not found/i.test(err.message));
}

/** Creates or updates every stream; safe to call from every service at every boot. */
export async function ensureStreams(jsm: JetStreamManager, subjects: Subjects): Promise<void> {
  for (const spec of STREAMS) {
    const name = subjects.stream(spec.name);
    const config = {
      name,
      subjects: spec.kinds.map((k) => subjects.filter(k)),
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      duplicate_window: nanos(120_000),
    };
    try {
      await jsm.streams.info(name);
      await jsm.streams.update(name, config);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        await jsm.streams.add(config);
      } catch (addErr) {
        // Another service created it at the same moment.
        if (!/already in use|exists/i.test((addErr as Error).message)) throw addErr;
      }
    }
  }
}

export interface ConsumerTuning {
  ackWaitMs: number;
  maxAckPending: number;
}

/** Creates the durable pull consumer of one app for one subject kind when missing. */
export async function ensureConsumer(
  jsm: JetStreamManager,
  subjects: Subjects,
  app: string,
  kind: SubjectKind,
  tuning: ConsumerTuning,
): Promise<{ stream: string; durable: string }> {
  const stream = subjects.stream(streamOf(kind));
  const durable = subjects.durable(app, kind);
  const config: Partial<ConsumerConfig> = {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: subjects.filter(kind),
    ack_wait: nanos(tuning.ackWaitMs),
    max_ack_pending: tuning.maxAckPending,
    max_deliver: -1,
  };
  try {
    await jsm.consumers.info(stream, durable);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    try {
      await jsm.consumers.add(stream, config);
    } catch (addErr) {
      if (!/already|exists/i.test((addErr as Error).message)) throw addErr;
    }
  }
  return { stream, durable };
}
