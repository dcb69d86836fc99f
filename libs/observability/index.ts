export * from './metrics';
export * from './logger';
export * from './tracing';
export * from './health';
export * from './bootstrap';
