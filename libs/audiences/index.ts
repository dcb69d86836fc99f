export * from './sender-rules';
export * from './audience.dto';
export * from './senders.repository';
export * from './address-books.repository';
export * from './register-sender';
export * from './create-address-book';
export * from './add-book-contacts';
export * from './audiences.module';
