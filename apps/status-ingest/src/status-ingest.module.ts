import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ProblemFilter } from '@utskick/http';
import { MessagingModule, NatsService } from '@utskick/messaging';
import { MessageLedger } from '@utskick/messages';
import { HealthModule } from '@utskick/observability';
import { DatabaseHealth, PersistenceModule } from '@utskick/persistence';
import { SuppressionModule } from '@utskick/suppression';
import { InboundSmsController } from './inbound-sms.controller';
import { ElksDeliveryController } from './elks-delivery.controller';
import { SandboxWebhookController } from './sandbox-webhook.controller';
import { StatusEvents } from './status-events';
import { TwilioWebhookController } from './twilio-webhook.controller';

@Module({
  imports: [PersistenceModule, MessagingModule, SuppressionModule, HealthModule.register([DatabaseHealth, NatsService])],
  controllers: [InboundSmsController, TwilioWebhookController, SandboxWebhookController, ElksDeliveryController],
  providers: [{ provide: APP_FILTER, useClass: ProblemFilter }, MessageLedger, StatusEvents],
})
export class StatusIngestModule {}
