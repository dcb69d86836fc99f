import 'reflect-metadata';
import { loadConfigOrExit, smsProviderSchema } from '@utskick/config';
import { runService } from '@utskick/observability';
import { SmsWorkerModule } from './sms-worker.module';

void runService(SmsWorkerModule, { name: 'sms-worker', port: loadConfigOrExit(smsProviderSchema).SMS_WORKER_PORT });
