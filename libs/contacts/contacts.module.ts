import { Module } from '@nestjs/common';
import { ContactsRepository } from './contacts.repository';
import { CreateContact, UpdateContact, UpsertContacts } from './upsert-contacts';

@Module({
  providers: [ContactsRepository, UpsertContacts, CreateContact, UpdateContact],
  exports: [ContactsRepository, UpsertContacts, CreateContact, UpdateContact],
})
export class ContactsModule {}
