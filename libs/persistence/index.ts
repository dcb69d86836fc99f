export * from './entities/entities';
export * from './tenant-id';
export * from './data-source';
export * from './persistence.module';
export * from './database-health';
export * from './sql';
