export * from './api-key';
export * from './create-tenant';
export * from './auth.guard';
