import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ProblemFilter } from '@utskick/http';
import { MessagingModule, NatsService } from '@utskick/messaging';
import { MessageLedger } from '@utskick/messages';
import { HealthModule } from '@utskick/observability';
import { DatabaseHealth, PersistenceModule } from '@utskick/persistence';
import { SandboxWebhookController } from './sandbox-webhook.controller';
import { StatusEvents } from './status-events';
import { TwilioWebhookController } from './twilio-webhook.controller';

@Module({
  imports: [PersistenceModule, MessagingModule, HealthModule.register([DatabaseHealth, NatsService])],
  controllers: [TwilioWebhookController, SandboxWebhookController],
  providers: [{ provide: APP_FILTER, useClass: ProblemFilter }, MessageLedger, StatusEvents],
})
export class StatusIngestModule {}
