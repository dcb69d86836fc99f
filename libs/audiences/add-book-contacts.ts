import { Injectable } from '@nestjs/common';
import { ContactsRepository } from '@utskick/contacts';
import { parseInput, ValidationError } from '@utskick/http';
import { TenantId } from '@utskick/persistence';
import { addBookContactsSchema } from './audience.dto';
import { AddressBooksRepository } from './address-books.repository';

/** Adds the tenant's own contacts to a book; unknown ids are named by position, re-adding is a no-op. */
@Injectable()
export class AddBookContacts {
  constructor(
    private readonly books: AddressBooksRepository,
    private readonly contacts: ContactsRepository,
  ) {}

  async execute(input: { tenantId: TenantId; bookId: string; body: unknown }): Promise<{ added: number }> {
    const book = await this.books.get(input.tenantId, input.bookId);
    const { contactIds } = parseInput(addBookContactsSchema, input.body);
    const ids = contactIds.map((id) => id.toLowerCase());
    const known = await this.contacts.existing(input.tenantId, ids);
    const unknown = ids.map((id, i) => [id, i] as const).filter(([id]) => !known.has(id));
    if (unknown.length) {
      throw new ValidationError(
        unknown.slice(0, 20).map(([, i]) => ({ field: `contactIds.${i}`, reason: 'no such contact' })),
        'The request names contacts that do not exist',
      );
    }
    return { added: await this.books.addMembers(input.tenantId, book.id, [...new Set(ids)]) };
  }
}
