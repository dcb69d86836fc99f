import { INestApplication, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AudiencesModule } from '@utskick/audiences';
import { CampaignsModule, PreviewCampaignEmail, RenderEmailPreview, SendTestEmail } from '@utskick/campaigns';
import { CreditsModule } from '@utskick/credits';
import { ContactsModule } from '@utskick/contacts';
import { EmailModule } from '@utskick/email';
import { ProblemFilter } from '@utskick/http';
import { MessagingModule, NatsService } from '@utskick/messaging';
import { HealthModule } from '@utskick/observability';
import { DatabaseHealth, PersistenceModule } from '@utskick/persistence';
import { SmsModule } from '@utskick/sms';
import { SuppressionModule } from '@utskick/suppression';
import { AdminGuard, ApiKeyGuard, CreateTenant, GetTenantSettings, GetTenantWebhooks, UpdateTenantSettings } from '@utskick/tenancy';
import { AccountController } from './account.controller';
import { AddressBooksController } from './address-books.controller';
import { AdminController } from './admin.controller';
import { CampaignsController } from './campaigns.controller';
import { ContactsController } from './contacts.controller';
import { EmailAddressesController } from './email-addresses.controller';
import { EmailLayoutsController } from './email-layouts.controller';
import { OptOutsController } from './opt-outs.controller';
import { AdminSuppressionsController, SuppressionsController } from './suppressions.controller';
import { RepliesController } from './replies.controller';
import { SendersController } from './senders.controller';
import { SendingDomainsController } from './sending-domains.controller';
import { SmsController } from './sms.controller';
import { TraceMiddleware } from './trace.middleware';

@Module({
  imports: [PersistenceModule, MessagingModule, ContactsModule, CampaignsModule, CreditsModule, SmsModule, AudiencesModule, SuppressionModule, EmailModule, HealthModule.register([DatabaseHealth, NatsService])],
  controllers: [AdminController, AccountController, ContactsController, CampaignsController, SmsController, SendersController, AddressBooksController, RepliesController, OptOutsController, SuppressionsController, AdminSuppressionsController, EmailAddressesController, EmailLayoutsController, SendingDomainsController],
  providers: [
    { provide: APP_FILTER, useClass: ProblemFilter },
    CreateTenant,
    GetTenantSettings,
    UpdateTenantSettings,
    GetTenantWebhooks,
    ApiKeyGuard,
    AdminGuard,
    RenderEmailPreview,
    PreviewCampaignEmail,
    SendTestEmail,
  ],
})
export class ApiModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(TraceMiddleware).forRoutes(AdminController, AccountController, ContactsController, CampaignsController, SmsController, SendersController, AddressBooksController, RepliesController, OptOutsController, SuppressionsController, AdminSuppressionsController, EmailAddressesController, EmailLayoutsController, SendingDomainsController);
  }
}

/** HTTP details of the API: body limits and the OpenAPI document at /openapi.json, Swagger UI at /docs. */
export function configureApi(app: INestApplication): void {
  const express = app.getHttpAdapter().getInstance();
  express.disable('x-powered-by');
  (app as NestExpressApplication).useBodyParser('json', { limit: '20mb' });
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Utskick')
      .setDescription('Bulk SMS and e-mail campaigns. Errors are RFC 9457 application/problem+json.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  express.get('/openapi.json', (_req: unknown, res: { json: (b: unknown) => void }) => res.json(doc));
  SwaggerModule.setup('docs', app, doc);
}
