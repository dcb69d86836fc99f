import 'reflect-metadata';
import { loadConfigOrExit, statusIngestSchema } from '@utskick/config';
import { NestExpressApplication } from '@nestjs/platform-express';
import { runService } from '@utskick/observability';
import { StatusIngestModule } from './status-ingest.module';

void runService(StatusIngestModule, {
  name: 'status-ingest',
  port: loadConfigOrExit(statusIngestSchema).STATUS_INGEST_PORT,
  rawBody: true,
  // Provider callbacks are flat forms: the plain parser is enough and cheaper than qs.
  configure: (app) => {
    (app as NestExpressApplication).useBodyParser('urlencoded', { extended: false, limit: '1mb' });
    // Event webhooks post batches (hundreds of events per request).
    (app as NestExpressApplication).useBodyParser('json', { limit: '10mb' });
    // SNS posts its JSON as text/plain; the signature is checked over that raw text.
    (app as NestExpressApplication).useBodyParser('text', { type: 'text/plain', limit: '1mb' });
  },
});
