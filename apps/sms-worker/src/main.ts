import 'reflect-metadata';
import { loadConfig, smsProviderSchema } from '@utskick/config';
import { runService } from '@utskick/observability';
import { SmsWorkerModule } from './sms-worker.module';

void runService(SmsWorkerModule, { name: 'sms-worker', port: loadConfig(smsProviderSchema).SMS_WORKER_PORT });
