import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createSenderSchema, RegisterSender, SendersRepository, toSenderView } from '@utskick/audiences';
import { toPage } from '@utskick/http';
import { TenantId } from '@utskick/persistence';
import { ApiKeyGuard, CurrentTenant } from '@utskick/tenancy';
import { z } from 'zod';
import { parsePage } from './query';

@ApiTags('senders')
@ApiBearerAuth()
@Controller('v1/senders')
@UseGuards(ApiKeyGuard)
export class SendersController {
  constructor(
    private readonly senders: SendersRepository,
    private readonly registerSender: RegisterSender,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Register a sender: alphanumeric (≤ 11 letters, digits, spaces), short_code (3–8 digits, with a keyword) or reply_number (E.164); 409 when taken',
  })
  @ApiBody({ schema: z.toJSONSchema(createSenderSchema, { unrepresentable: 'any' }) as object })
  create(@CurrentTenant() tenantId: TenantId, @Body() body: unknown) {
    return this.registerSender.execute({ tenantId, body });
  }

  @Get()
  async list(@CurrentTenant() tenantId: TenantId, @Query() query: unknown) {
    const { limit, cursor } = parsePage(query);
    return toPage(await this.senders.list(tenantId, limit + 1, cursor), limit, toSenderView);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a sender; address books using it are left without one' })
  async remove(@CurrentTenant() tenantId: TenantId, @Param('id') id: string) {
    await this.senders.delete(tenantId, id);
  }
}
