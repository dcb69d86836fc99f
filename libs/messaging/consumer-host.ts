import {
  BeforeApplicationShutdown,
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, Reflector } from '@nestjs/core';
import { Consumer, JsMsg } from '@nats-io/jetstream';
import {
  consumerAckPending,
  consumerLag,
  contextFromHeaders,
  inSpan,
  jobsHandled,
  logger,
  SpanKind,
} from '@utskick/observability';
import { JOB_CONSUMER, Job, JobConsumerMeta, JobHandler, Outcome } from './job-consumer';
import { NatsService } from './nats.service';
import { SubjectKind } from './subjects';
import { ensureConsumer } from './topology';

export const CONSUMER_HOST_OPTIONS = Symbol('CONSUMER_HOST_OPTIONS');
export interface ConsumerHostOptions {
  /** The app's name, first part of its durable consumer names. */
  app: string;
  /** Kinds this app must consume: boot fails when one has no handler or two. */
  kinds: SubjectKind[];
  defaults: { batchSize: number; batchesInFlight: number; ackWaitMs: number };
}

interface Binding {
  meta: JobConsumerMeta & { batchSize: number; batchesInFlight: number; ackWaitMs: number };
  handler: JobHandler<SubjectKind>;
  stream: string;
  durable: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs the app's discovered job handlers on durable pull consumers: fetches batches (and
 * stops fetching while a handler is not ready), hands them over, and maps each answer onto
 * ack / nak-with-delay / term. On shutdown it stops fetching and finishes what it holds.
 */
@Injectable()
export class ConsumerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = logger('consumer-host');
  private bindings: Binding[] = [];
  private loops: Promise<void>[] = [];
  private stopping = false;
  private lagTimer?: NodeJS.Timeout;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly nats: NatsService,
    @Inject(CONSUMER_HOST_OPTIONS) private readonly options: ConsumerHostOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const found = this.discovery
      .getProviders()
      .filter((w) => w.instance && w.metatype)
      .map((w) => ({ meta: this.reflector.get<JobConsumerMeta>(JOB_CONSUMER, w.metatype as never), instance: w.instance }))
      .filter((x) => x.meta);
    for (const kind of this.options.kinds) {
      const handlers = found.filter((f) => f.meta.kind === kind);
      if (handlers.length !== 1) {
        throw new Error(`${this.options.app}: subject ${kind} needs exactly one @JobConsumer handler, found ${handlers.length}`);
      }
    }
    const stray = found.filter((f) => !this.options.kinds.includes(f.meta.kind));
    if (stray.length) throw new Error(`${this.options.app}: handler for undeclared subject ${stray[0].meta.kind}`);

    for (const f of found) {
      const meta = { ...this.options.defaults, ...f.meta };
      const { stream, durable } = await ensureConsumer(this.nats.jsm, this.nats.subjects, this.options.app, meta.kind, {
        ackWaitMs: meta.ackWaitMs,
        maxAckPending: meta.batchSize * meta.batchesInFlight * 4,
      });
      this.bindings.push({ meta, handler: f.instance as JobHandler<SubjectKind>, stream, durable });
    }
    for (const b of this.bindings) {
      for (let i = 0; i < b.meta.batchesInFlight; i++) this.loops.push(this.loop(b));
    }
    this.lagTimer = setInterval(() => void this.recordLag(), 5000);
    this.lagTimer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.lagTimer) clearInterval(this.lagTimer);
    await Promise.all(this.loops);
    this.log.info('consumers drained');
  }

  private async consumer(b: Binding): Promise<Consumer> {
    return this.nats.js.consumers.get(b.stream, b.durable);
  }

  private async loop(b: Binding): Promise<void> {
    let consumer: Consumer | undefined;
    while (!this.stopping) {
      try {
        const limit = (b.handler.ready ? await b.handler.ready() : undefined)?.maxBatch ?? b.meta.batchSize;
        if (this.stopping) break;
        consumer ??= await this.consumer(b);
        const batch: JsMsg[] = [];
        const iter = await consumer.fetch({ max_messages: Math.min(limit, b.meta.batchSize), expires: 1000 });
        for await (const m of iter) batch.push(m);
        if (batch.length) await this.process(b, batch);
      } catch (err) {
        if (this.stopping) break;
        this.log.warn({ err: (err as Error).message, durable: b.durable }, 'fetch failed; re-creating topology');
        consumer = undefined;
        await sleep(500);
        try {
          await this.nats.ensureStreams();
          await ensureConsumer(this.nats.jsm, this.nats.subjects, this.options.app, b.meta.kind, {
            ackWaitMs: b.meta.ackWaitMs,
            maxAckPending: b.meta.batchSize * b.meta.batchesInFlight * 4,
          });
        } catch (e) {
          this.log.warn({ err: (e as Error).message }, 'topology not restored yet');
        }
      }
    }
  }

  private async process(b: Binding, batch: JsMsg[]): Promise<void> {
    const jobs: Job<SubjectKind>[] = [];
    const valid: JsMsg[] = [];
    for (const m of batch) {
      try {
        jobs.push({
          payload: m.json(),
          deliveryCount: m.info.deliveryCount,
          trace: contextFromHeaders((k) => m.headers?.get(k) || undefined),
        });
        valid.push(m);
      } catch {
        m.term('unparseable payload');
        jobsHandled.inc({ subject: b.meta.kind, outcome: 'drop' });
      }
    }
    if (!jobs.length) return;
    let outcomes: Outcome[];
    try {
      outcomes = await inSpan(`consume ${b.meta.kind}`, jobs[0].trace, SpanKind.CONSUMER, () => b.handler.handle(jobs));
    } catch (err) {
      // An unexpected failure of the whole batch: redeliver later; the ledger keeps it safe meanwhile.
      this.log.error({ err, durable: b.durable, size: jobs.length }, 'batch handler failed');
      outcomes = jobs.map(() => ({ kind: 'retry', delayMs: 5000 }) as Outcome);
    }
    valid.forEach((m, i) => {
      const o = outcomes[i] ?? { kind: 'retry', delayMs: 5000 };
      if (o.kind === 'ack') m.ack();
      else if (o.kind === 'retry') m.nak(o.delayMs);
      else m.term(o.reason);
      jobsHandled.inc({ subject: b.meta.kind, outcome: o.kind });
    });
  }

  private async recordLag(): Promise<void> {
    for (const b of this.bindings) {
      try {
        const info = await this.nats.jsm.consumers.info(b.stream, b.durable);
        consumerLag.set({ stream: b.stream, consumer: b.durable }, info.num_pending);
        consumerAckPending.set({ stream: b.stream, consumer: b.durable }, info.num_ack_pending);
      } catch {
        /* stream being re-created; the next tick records it */
      }
    }
  }
}

@Module({})
export class ConsumerHostModule {
  static forRoot(options: ConsumerHostOptions): DynamicModule {
    return {
      module: ConsumerHostModule,
      imports: [DiscoveryModule],
      providers: [{ provide: CONSUMER_HOST_OPTIONS, useValue: options }, ConsumerHost],
    };
  }
}
