import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AddBookContacts,
  addBookContactsSchema,
  AddressBooksRepository,
  createAddressBookSchema,
  CreateAddressBook,
  toAddressBookView,
  UpdateAddressBook,
  updateAddressBookSchema,
} from '@utskick/audiences';
import { toContactView } from '@utskick/contacts';
import { toPage } from '@utskick/http';
import { TenantId } from '@utskick/persistence';
import { ApiKeyGuard, CurrentTenant } from '@utskick/tenancy';
import { z } from 'zod';
import { parsePage } from './query';

@ApiTags('address-books')
@ApiBearerAuth()
@Controller('v1/address-books')
@UseGuards(ApiKeyGuard)
export class AddressBooksController {
  constructor(
    private readonly books: AddressBooksRepository,
    private readonly createBook: CreateAddressBook,
    private readonly updateBook: UpdateAddressBook,
    private readonly addContacts: AddBookContacts,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an address book (opt-out text and marketing default to true)' })
  @ApiBody({ schema: z.toJSONSchema(createAddressBookSchema, { unrepresentable: 'any', io: 'input' }) as object })
  create(@CurrentTenant() tenantId: TenantId, @Body() body: unknown) {
    return this.createBook.execute({ tenantId, body });
  }

  @Get()
  async list(@CurrentTenant() tenantId: TenantId, @Query() query: unknown) {
    const { limit, cursor } = parsePage(query);
    return toPage(await this.books.list(tenantId, limit + 1, cursor), limit, (b) => toAddressBookView(b));
  }

  @Get(':id')
  @ApiOperation({ summary: 'An address book with its member count' })
  async get(@CurrentTenant() tenantId: TenantId, @Param('id') id: string) {
    const book = await this.books.get(tenantId, id);
    return toAddressBookView(book, await this.books.memberCount(tenantId, book.id));
  }

  @Patch(':id')
  @ApiBody({ schema: z.toJSONSchema(updateAddressBookSchema, { unrepresentable: 'any' }) as object })
  update(@CurrentTenant() tenantId: TenantId, @Param('id') bookId: string, @Body() body: unknown) {
    return this.updateBook.execute({ tenantId, bookId, body });
  }

  @Post(':id/contacts')
  @HttpCode(200)
  @ApiOperation({ summary: "Add up to 10,000 of the tenant's contacts; re-adding one is a no-op" })
  @ApiBody({ schema: z.toJSONSchema(addBookContactsSchema) as object })
  add(@CurrentTenant() tenantId: TenantId, @Param('id') bookId: string, @Body() body: unknown) {
    return this.addContacts.execute({ tenantId, bookId, body });
  }

  @Get(':id/contacts')
  async members(@CurrentTenant() tenantId: TenantId, @Param('id') id: string, @Query() query: unknown) {
    const { limit, cursor } = parsePage(query);
    const book = await this.books.get(tenantId, id);
    return toPage(await this.books.members(tenantId, book.id, limit + 1, cursor), limit, toContactView);
  }

  @Delete(':id/contacts/:contactId')
  @HttpCode(204)
  async removeMember(@CurrentTenant() tenantId: TenantId, @Param('id') id: string, @Param('contactId') contactId: string) {
    const book = await this.books.get(tenantId, id);
    await this.books.removeMember(tenantId, book.id, contactId);
  }
}
