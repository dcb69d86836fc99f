import 'reflect-metadata';
import { emailProviderSchema, loadConfigOrExit } from '@utskick/config';
import { runService } from '@utskick/observability';
import { EmailWorkerModule } from './email-worker.module';

void runService(EmailWorkerModule, { name: 'email-worker', port: loadConfigOrExit(emailProviderSchema).EMAIL_WORKER_PORT });
