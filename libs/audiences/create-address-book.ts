import { Injectable } from '@nestjs/common';
import { parseInput, ValidationError } from '@utskick/http';
import { TenantId } from '@utskick/persistence';
import { AddressBookView, createAddressBookSchema, toAddressBookView, updateAddressBookSchema } from './audience.dto';
import { AddressBooksRepository } from './address-books.repository';
import { SendersRepository } from './senders.repository';

/** A book's sender must be one of the tenant's own senders. */
async function checkSender(senders: SendersRepository, tenantId: TenantId, senderId: string | null | undefined): Promise<void> {
  if (senderId && !(await senders.exists(tenantId, senderId))) {
    throw new ValidationError([{ field: 'senderId', reason: 'no such sender' }]);
  }
}

@Injectable()
export class CreateAddressBook {
  constructor(
    private readonly books: AddressBooksRepository,
    private readonly senders: SendersRepository,
  ) {}

  async execute(input: { tenantId: TenantId; body: unknown }): Promise<AddressBookView> {
    const data = parseInput(createAddressBookSchema, input.body);
    await checkSender(this.senders, input.tenantId, data.senderId);
    const saved = await this.books.repo.save(
      this.books.repo.create({
        tenantId: input.tenantId,
        name: data.name,
        senderId: data.senderId?.toLowerCase() ?? null,
        optOutText: data.optOutText,
        marketing: data.marketing,
      }),
    );
    return toAddressBookView(saved, 0);
  }
}

@Injectable()
export class UpdateAddressBook {
  constructor(
    private readonly books: AddressBooksRepository,
    private readonly senders: SendersRepository,
  ) {}

  async execute(input: { tenantId: TenantId; bookId: string; body: unknown }): Promise<AddressBookView> {
    const book = await this.books.get(input.tenantId, input.bookId);
    const patch = parseInput(updateAddressBookSchema, input.body);
    if (!Object.keys(patch).length) throw new ValidationError([{ field: 'body', reason: 'names no field to change' }]);
    await checkSender(this.senders, input.tenantId, patch.senderId);
    if (patch.name !== undefined) book.name = patch.name;
    if (patch.senderId !== undefined) book.senderId = patch.senderId?.toLowerCase() ?? null;
    if (patch.optOutText !== undefined) book.optOutText = patch.optOutText;
    if (patch.marketing !== undefined) book.marketing = patch.marketing;
    const saved = await this.books.repo.save(book);
    return toAddressBookView(saved, await this.books.memberCount(input.tenantId, saved.id));
  }
}
