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
import { RecipientPagesController } from './recipient-pages.controller';
import { SandboxWebhookController } from './sandbox-webhook.controller';
import { StatusEvents } from './status-events';
import { TwilioWebhookController } from './twilio-webhook.controller';
import { BounceMailServer } from './bounce-mail.server';
import { SendgridWebhookController } from './sendgrid-webhook.controller';
import { SesWebhookController } from './ses-webhook.controller';
import { snsProviders } from './sns.providers';

@Module({
  imports: [PersistenceModule, MessagingModule, SuppressionModule, HealthModule.register([DatabaseHealth, NatsService])],
  controllers: [InboundSmsController, TwilioWebhookController, SandboxWebhookController, ElksDeliveryController, SesWebhookController, SendgridWebhookController, RecipientPagesController],
  providers: [{ provide: APP_FILTER, useClass: ProblemFilter }, MessageLedger, StatusEvents, BounceMailServer, ...snsProviders],
})
export class StatusIngestModule {}
