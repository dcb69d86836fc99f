import 'reflect-metadata';
import { loadConfig, schedulerSchema } from '@utskick/config';
import { runService } from '@utskick/observability';
import { SchedulerModule } from './scheduler.module';

void runService(SchedulerModule, { name: 'scheduler', port: loadConfig(schedulerSchema).SCHEDULER_PORT });
