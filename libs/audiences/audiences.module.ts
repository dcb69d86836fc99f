import { Module } from '@nestjs/common';
import { ContactsModule } from '@utskick/contacts';
import { AddressBooksRepository } from './address-books.repository';
import { AddBookContacts } from './add-book-contacts';
import { CreateAddressBook, UpdateAddressBook } from './create-address-book';
import { RegisterSender } from './register-sender';
import { SendersRepository } from './senders.repository';

const exported = [SendersRepository, AddressBooksRepository, RegisterSender, CreateAddressBook, UpdateAddressBook, AddBookContacts];

@Module({
  imports: [ContactsModule],
  providers: exported,
  exports: exported,
})
export class AudiencesModule {}
