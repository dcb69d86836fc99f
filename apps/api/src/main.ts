import 'reflect-metadata';
import { apiSchema, loadConfig } from '@utskick/config';
import { runService } from '@utskick/observability';
import { ApiModule, configureApi } from './api.module';

const cfg = loadConfig(apiSchema);
void runService(ApiModule, { name: 'api', port: cfg.API_PORT, configure: configureApi });
