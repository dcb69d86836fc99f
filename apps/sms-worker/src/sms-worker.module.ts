import { Module } from '@nestjs/common';
import { loadConfigOrExit, workerSchema } from '@utskick/config';
import { ConsumerHostModule, MessagingModule, NatsService } from '@utskick/messaging';
import { MessageLedger } from '@utskick/messages';
import { HealthModule } from '@utskick/observability';
import { DatabaseHealth, PersistenceModule } from '@utskick/persistence';
import { SendSmsConsumer } from './send-sms.consumer';
import { PollUnreportedLoop } from './poll-unreported.loop';
import { SmsProviders } from './sms-providers';

const w = loadConfigOrExit(workerSchema);

@Module({
  imports: [
    PersistenceModule,
    MessagingModule,
    HealthModule.register([DatabaseHealth, NatsService]),
    ConsumerHostModule.forRoot({
      app: 'sms-worker',
      kinds: ['sms.send'],
      defaults: { batchSize: w.WORKER_BATCH_SIZE, batchesInFlight: w.WORKER_BATCHES_IN_FLIGHT, ackWaitMs: w.CLAIM_LEASE_MS },
    }),
  ],
  providers: [MessageLedger, SmsProviders, SendSmsConsumer, PollUnreportedLoop],
})
export class SmsWorkerModule {}
