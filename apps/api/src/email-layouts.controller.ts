import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateEmailLayout, createEmailLayoutSchema, EmailLayoutsRepository, toEmailLayoutView, UpdateEmailLayout, updateEmailLayoutSchema } from '@utskick/email';
import { toPage } from '@utskick/http';
import { TenantId } from '@utskick/persistence';
import { ApiKeyGuard, CurrentTenant } from '@utskick/tenancy';
import { z } from 'zod';
import { parsePage } from './query';

@ApiTags('email')
@ApiBearerAuth()
@Controller('v1/email/layouts')
@UseGuards(ApiKeyGuard)
export class EmailLayoutsController {
  constructor(
    private readonly layouts: EmailLayoutsRepository,
    private readonly createLayout: CreateEmailLayout,
    private readonly updateLayout: UpdateEmailLayout,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a layout: html and/or text, each with #CUSTOMTEXT# where the campaign text goes; placeholders as in campaigns' })
  @ApiBody({ schema: z.toJSONSchema(createEmailLayoutSchema, { unrepresentable: 'any' }) as object })
  create(@CurrentTenant() tenantId: TenantId, @Body() body: unknown) {
    return this.createLayout.execute({ tenantId, body });
  }

  @Get()
  async list(@CurrentTenant() tenantId: TenantId, @Query() query: unknown) {
    const { limit, cursor } = parsePage(query);
    return toPage(await this.layouts.list(tenantId, limit + 1, cursor), limit, toEmailLayoutView);
  }

  @Get(':id')
  async get(@CurrentTenant() tenantId: TenantId, @Param('id') id: string) {
    return toEmailLayoutView(await this.layouts.get(tenantId, id));
  }

  @Patch(':id')
  @ApiBody({ schema: z.toJSONSchema(updateEmailLayoutSchema, { unrepresentable: 'any' }) as object })
  update(@CurrentTenant() tenantId: TenantId, @Param('id') layoutId: string, @Body() body: unknown) {
    return this.updateLayout.execute({ tenantId, layoutId, body });
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a layout; 409 while a campaign that is not completed uses it' })
  async remove(@CurrentTenant() tenantId: TenantId, @Param('id') id: string) {
    await this.layouts.delete(tenantId, id);
  }
}
