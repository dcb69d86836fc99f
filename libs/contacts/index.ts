export * from './phone';
export * from './contact.dto';
export * from './contacts.repository';
export * from './upsert-contacts';
export * from './contacts.module';
