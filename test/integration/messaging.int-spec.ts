import { Global, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import {
  ack,
  ConsumerHostModule,
  drop,
  ensureStreams,
  Job,
  JobConsumer,
  JobHandler,
  JobPublisher,
  MessagingModule,
  NatsService,
  Outcome,
  retry,
  Subjects,
} from '@utskick/messaging';
import { startTracing } from '@utskick/observability';
import { deleteStreams, uniqueNames, waitFor } from '../support/test-env';

/** JetStream backbone against the real NATS server: topology, dedup, consumer host outcomes, trace headers. */
describe('JetStream backbone', () => {
  const names = uniqueNames('msg');
  const seen: { id: string; delivery: number; traceId: string }[] = [];
  let behaviour: (job: Job<'sms.send'>) => Outcome = () => ack();

  @Injectable()
  @JobConsumer('sms.send', { batchSize: 10, batchesInFlight: 1 })
  class RecordingConsumer implements JobHandler<'sms.send'> {
    async handle(jobs: Job<'sms.send'>[]): Promise<Outcome[]> {
      return jobs.map((j) => {
        seen.push({ id: j.payload.messageId, delivery: j.deliveryCount, traceId: trace.getSpanContext(j.trace)?.traceId ?? '' });
        return behaviour(j);
      });
    }
  }

  @Module({
    imports: [
      MessagingModule,
      ConsumerHostModule.forRoot({ app: 'test-worker', kinds: ['sms.send'], defaults: { batchSize: 10, batchesInFlight: 1, ackWaitMs: 5000 } }),
    ],
    providers: [RecordingConsumer],
  })
  class TestModule {}

  let app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>;
  let nats: NatsService;
  let publisher: JobPublisher;

  beforeAll(async () => {
    process.env.NATS_PREFIX = names.prefix;
    startTracing('messaging-test');
    app = await NestFactory.createApplicationContext(TestModule, { logger: false });
    await app.init();
    nats = app.get(NatsService);
    publisher = app.get(JobPublisher);
  });

  afterAll(async () => {
    await app?.close();
    await deleteStreams(names.prefix);
  });

  const job = (id: string) => ({ tenantId: 'tenant-a', payload: { messageId: id, tenantId: 'tenant-a', campaignId: 'c' }, msgId: id });

  it('creates streams idempotently: a second ensure changes nothing', async () => {
    const subjects = new Subjects(names.prefix);
    await ensureStreams(nats.jsm, subjects);
    await ensureStreams(nats.jsm, subjects);
    const info = await nats.jsm.streams.info(subjects.stream('SEND'));
    expect(info.config.subjects).toEqual([`${names.prefix}.sms.send.>`, `${names.prefix}.email.send.>`]);
    expect(info.config.retention).toBe('workqueue');
  });

  it('drops a repeated Nats-Msg-Id within the window, and takes a new one', async () => {
    behaviour = () => ack();
    seen.length = 0;
    await publisher.publishMany('sms.send', [job('m-1:0'), job('m-1:0'), job('m-1:1')]);
    await waitFor('both deliveries', async () => seen.length >= 2);
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.map((s) => s.id).sort()).toEqual(['m-1:0', 'm-1:1']);
  });

  it('redelivers a retried job after its delay and terminates a dropped one', async () => {
    seen.length = 0;
    behaviour = (j) => (j.payload.messageId === 'again' && j.deliveryCount === 1 ? retry(300) : j.payload.messageId === 'poison' ? drop('bad') : ack());
    await publisher.publishMany('sms.send', [job('again'), job('poison')]);
    await waitFor('redelivery', async () => seen.filter((s) => s.id === 'again').length === 2);
    await new Promise((r) => setTimeout(r, 1500));
    expect(seen.filter((s) => s.id === 'again').map((s) => s.delivery)).toEqual([1, 2]);
    expect(seen.filter((s) => s.id === 'poison')).toHaveLength(1);
  });

  it('carries the publisher W3C trace context to the consumer in message headers', async () => {
    seen.length = 0;
    behaviour = () => ack();
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const parent = trace.setSpanContext(context.active(), { traceId, spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED, isRemote: true });
    await context.with(parent, () => publisher.publish('sms.send', job('traced')));
    await waitFor('traced job', async () => seen.find((s) => s.id === 'traced'));
    expect(seen.find((s) => s.id === 'traced')!.traceId).toBe(traceId);
  });

  it('refuses to boot when a declared subject has no handler', async () => {
    // The check runs before any NATS call, so no connection is needed (and none is left open).
    @Global()
    @Module({ providers: [{ provide: NatsService, useValue: {} }], exports: [NatsService] })
    class NoNats {}
    @Module({
      imports: [NoNats, ConsumerHostModule.forRoot({ app: 'empty', kinds: ['email.send'], defaults: { batchSize: 1, batchesInFlight: 1, ackWaitMs: 1000 } })],
    })
    class Empty {}
    await expect(NestFactory.createApplicationContext(Empty, { logger: false, abortOnError: false })).rejects.toThrow(
      /email.send needs exactly one @JobConsumer handler, found 0/,
    );
  });
});
