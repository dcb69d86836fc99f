import 'reflect-metadata';
import { loadConfigOrExit, schedulerSchema } from '@utskick/config';
import { runService } from '@utskick/observability';
import { SchedulerModule } from './scheduler.module';

void runService(SchedulerModule, { name: 'scheduler', port: loadConfigOrExit(schedulerSchema).SCHEDULER_PORT });
