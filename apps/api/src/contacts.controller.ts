import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { bulkContactsSchema, contactInputSchema, ContactsRepository, CreateContact, toContactView, UpdateContact, UpsertContacts } from '@utskick/contacts';
import { toPage } from '@utskick/http';
import { TenantId } from '@utskick/persistence';
import { ApiKeyGuard, CurrentTenant } from '@utskick/tenancy';
import { z } from 'zod';
import { parsePage } from './query';

@ApiTags('contacts')
@ApiBearerAuth()
@Controller('v1/contacts')
@UseGuards(ApiKeyGuard)
export class ContactsController {
  constructor(
    private readonly contacts: ContactsRepository,
    private readonly createContact: CreateContact,
    private readonly upsertContacts: UpsertContacts,
    private readonly updateContact: UpdateContact,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a contact (an existing externalId updates it)' })
  @ApiBody({ schema: z.toJSONSchema(contactInputSchema) as object })
  async create(@CurrentTenant() tenantId: TenantId, @Body() body: unknown) {
    return toContactView(await this.createContact.execute({ tenantId, body }));
  }

  @Post('bulk')
  @HttpCode(200)
  @ApiOperation({ summary: 'Upsert up to 10,000 contacts by externalId; bad rows are reported, good rows kept' })
  @ApiBody({ schema: z.toJSONSchema(z.object({ contacts: z.array(contactInputSchema).max(10000) })) as object })
  bulk(@CurrentTenant() tenantId: TenantId, @Body() body: unknown) {
    void bulkContactsSchema;
    return this.upsertContacts.execute({ tenantId, body });
  }

  @Get()
  async list(@CurrentTenant() tenantId: TenantId, @Query() query: unknown) {
    const { limit, cursor } = parsePage(query);
    return toPage(await this.contacts.list(tenantId, limit + 1, cursor), limit, toContactView);
  }

  @Get(':id')
  async get(@CurrentTenant() tenantId: TenantId, @Param('id') id: string) {
    return toContactView(await this.contacts.get(tenantId, id));
  }

  @Patch(':id')
  @ApiBody({ schema: z.toJSONSchema(contactInputSchema.partial()) as object })
  async update(@CurrentTenant() tenantId: TenantId, @Param('id') id: string, @Body() body: unknown) {
    return toContactView(await this.updateContact.execute({ tenantId, id, body }));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentTenant() tenantId: TenantId, @Param('id') id: string) {
    await this.contacts.delete(tenantId, id);
  }
}
