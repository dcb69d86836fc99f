import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { databaseSchema, loadConfig } from '@utskick/config';
import { DataSource } from 'typeorm';
import { openLedger } from './data-source';
import { DatabaseHealth } from './database-health';

@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      useFactory: async () => {
        const cfg = loadConfig(databaseSchema);
        return openLedger(cfg.DATABASE_URL, cfg.DB_POOL_SIZE);
      },
    },
    DatabaseHealth,
  ],
  exports: [DataSource, DatabaseHealth],
})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}
