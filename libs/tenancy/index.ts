export * from './api-key';
export * from './create-tenant';
export * from './auth.guard';
export * from './tenant-settings';
