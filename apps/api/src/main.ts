import 'reflect-metadata';
import { apiSchema, loadConfigOrExit } from '@utskick/config';
import { runService } from '@utskick/observability';
import { ApiModule, configureApi } from './api.module';

const cfg = loadConfigOrExit(apiSchema);
void runService(ApiModule, { name: 'api', port: cfg.API_PORT, configure: configureApi });
