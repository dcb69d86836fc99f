import { Module } from '@nestjs/common';
import { CampaignsModule } from '@utskick/campaigns';
import { CreditsModule } from '@utskick/credits';
import { ConsumerHostModule, MessagingModule, NatsService } from '@utskick/messaging';
import { HealthModule } from '@utskick/observability';
import { DatabaseHealth, PersistenceModule } from '@utskick/persistence';
import { CampaignExecutedConsumer } from './campaign-executed.consumer';
import { ReleaseLoop } from './release.loop';

@Module({
  imports: [
    PersistenceModule,
    MessagingModule,
    CampaignsModule,
    CreditsModule,
    HealthModule.register([DatabaseHealth, NatsService]),
    ConsumerHostModule.forRoot({
      app: 'scheduler',
      kinds: ['campaign.executed'],
      defaults: { batchSize: 100, batchesInFlight: 1, ackWaitMs: 30000 },
    }),
  ],
  providers: [ReleaseLoop, CampaignExecutedConsumer],
})
export class SchedulerModule {}


