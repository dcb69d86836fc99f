import { INestApplication, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { CampaignsModule } from '@utskick/campaigns';
import { ContactsModule } from '@utskick/contacts';
import { ProblemFilter } from '@utskick/http';
import { MessagingModule, NatsService } from '@utskick/messaging';
import { HealthModule } from '@utskick/observability';
import { DatabaseHealth, PersistenceModule } from '@utskick/persistence';
import { AdminGuard, ApiKeyGuard, CreateTenant } from '@utskick/tenancy';
import { AdminController } from './admin.controller';
import { CampaignsController } from './campaigns.controller';
import { ContactsController } from './contacts.controller';
import { TraceMiddleware } from './trace.middleware';

@Module({
  imports: [PersistenceModule, MessagingModule, ContactsModule, CampaignsModule, HealthModule.register([DatabaseHealth, NatsService])],
  controllers: [AdminController, ContactsController, CampaignsController],
  providers: [{ provide: APP_FILTER, useClass: ProblemFilter }, CreateTenant, ApiKeyGuard, AdminGuard],
})
export class ApiModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(TraceMiddleware).forRoutes(AdminController, ContactsController, CampaignsController);
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
