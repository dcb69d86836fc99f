import { Body, Controller, Get, Patch, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { GetCredits, ListCreditHistory } from '@utskick/credits';
import { parseInput } from '@utskick/http';
import { TenantId } from '@utskick/persistence';
import { ApiKeyGuard, CurrentTenant, GetTenantSettings, tenantSettingsSchema, UpdateTenantSettings } from '@utskick/tenancy';
import { z } from 'zod';

const historyQuery = z.object({
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(1000, 'at most 1000').default(100),
  cursor: z.string().regex(/^[0-9]{1,18}$/, 'must be a cursor from a previous page').optional(),
});

/** The tenant's own settings and SMS credit. */
@ApiTags('account')
@ApiBearerAuth()
@Controller('v1')
@UseGuards(ApiKeyGuard)
export class AccountController {
  constructor(
    private readonly getSettings: GetTenantSettings,
    private readonly updateSettings: UpdateTenantSettings,
    private readonly getCredits: GetCredits,
    private readonly history: ListCreditHistory,
  ) {}

  @Get('settings')
  settings(@CurrentTenant() tenantId: TenantId) {
    return this.getSettings.execute({ tenantId });
  }

  @Patch('settings')
  @ApiOperation({ summary: 'Default country, locale, SMS provider, text cap, part limit, opt-out wording, help text' })
  @ApiBody({ schema: z.toJSONSchema(tenantSettingsSchema, { unrepresentable: 'any' }) as object })
  update(@CurrentTenant() tenantId: TenantId, @Body() body: unknown) {
    return this.updateSettings.execute({ tenantId, body });
  }

  @Get('credits')
  @ApiOperation({ summary: 'SMS credit balance in minor units' })
  credits(@CurrentTenant() tenantId: TenantId) {
    return this.getCredits.execute({ tenantId });
  }

  @Get('credits/history')
  @ApiOperation({ summary: 'Top-ups, per-batch reservations and refunds, newest first' })
  creditHistory(@CurrentTenant() tenantId: TenantId, @Query() query: unknown) {
    return this.history.execute({ tenantId, ...parseInput(historyQuery, query, 'query') });
  }
}
