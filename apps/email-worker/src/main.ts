import 'reflect-metadata';
import { emailProviderSchema, loadConfig } from '@utskick/config';
import { runService } from '@utskick/observability';
import { EmailWorkerModule } from './email-worker.module';

void runService(EmailWorkerModule, { name: 'email-worker', port: loadConfig(emailProviderSchema).EMAIL_WORKER_PORT });
