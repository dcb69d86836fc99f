import 'reflect-metadata';
import { loadConfig, statusIngestSchema } from '@utskick/config';
import { runService } from '@utskick/observability';
import { StatusIngestModule } from './status-ingest.module';

void runService(StatusIngestModule, { name: 'status-ingest', port: loadConfig(statusIngestSchema).STATUS_INGEST_PORT, rawBody: true });
