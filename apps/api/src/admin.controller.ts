import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { topUpSchema, TopUpCredits } from '@utskick/credits';
import { parseInput, storableText } from '@utskick/http';
import { AdminGuard, CreateTenant, GetTenantWebhooks } from '@utskick/tenancy';
import { z } from 'zod';

const createTenantSchema = z.object({ name: storableText().pipe(z.string().trim().min(1, 'is required').max(200, 'at most 200 characters')) });

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin')
@UseGuards(AdminGuard)
export class AdminController {
  constructor(
    private readonly createTenant: CreateTenant,
    private readonly topUp: TopUpCredits,
    private readonly tenantWebhooks: GetTenantWebhooks,
  ) {}

  @Post('tenants')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a tenant; answers its API key once (only its SHA-256 is stored)' })
  @ApiBody({ schema: z.toJSONSchema(createTenantSchema) as object })
  async create(@Body() body: unknown) {
    return this.createTenant.execute(parseInput(createTenantSchema, body));
  }

  @Get('tenants/:id/webhooks')
  @ApiOperation({ summary: "The URLs to configure at the SMS providers for a tenant's numbers (inbound SMS, STOP/START/HELP)" })
  async webhooks(@Param('id') tenantId: string) {
    return this.tenantWebhooks.execute({ tenantId });
  }

  @Post('tenants/:id/credits')
  @HttpCode(200)
  @ApiOperation({ summary: "Top up a tenant's SMS balance (minor units); recorded in its credit history" })
  @ApiBody({ schema: z.toJSONSchema(topUpSchema) as object })
  async topUpCredits(@Param('id') tenantId: string, @Body() body: unknown) {
    return this.topUp.execute({ tenantId, body });
  }
}
