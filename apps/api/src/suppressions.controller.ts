import { Controller, Delete, Get, HttpCode, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { TenantId } from '@utskick/persistence';
import { CheckSuppression, ListSuppressions, RemoveAddressProblem, RemoveGlobalSuppression } from '@utskick/suppression';
import { AdminGuard, ApiKeyGuard, CurrentTenant } from '@utskick/tenancy';

@ApiTags('suppressions')
@ApiBearerAuth()
@Controller('v1/suppressions')
@UseGuards(ApiKeyGuard)
export class SuppressionsController {
  constructor(
    private readonly listSuppressions: ListSuppressions,
    private readonly checkSuppression: CheckSuppression,
    private readonly removeProblem: RemoveAddressProblem,
  ) {}

  @Get()
  @ApiOperation({ summary: "The tenant's own opt-outs and e-mail addresses in Problem, by address" })
  @ApiQuery({ name: 'channel', required: false, enum: ['sms', 'email'] })
  @ApiQuery({ name: 'address', required: false })
  list(@CurrentTenant() tenantId: TenantId, @Query() query: unknown) {
    return this.listSuppressions.execute({ tenantId, query });
  }

  @Get('check')
  @ApiOperation({ summary: 'Why an address is held back: its opt-outs, its Problem, and whether the global list blocks it (the reason, never the tenant)' })
  @ApiQuery({ name: 'channel', enum: ['sms', 'email'] })
  @ApiQuery({ name: 'address' })
  check(@CurrentTenant() tenantId: TenantId, @Query() query: unknown) {
    return this.checkSuppression.execute({ tenantId, query });
  }

  @Delete('problems/:address')
  @HttpCode(204)
  @ApiOperation({ summary: "Clears the tenant's own Problem on an e-mail address (the global list is the platform admin's)" })
  async clearProblem(@CurrentTenant() tenantId: TenantId, @Param('address') address: string) {
    await this.removeProblem.execute({ tenantId, address });
  }
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin/suppressions')
@UseGuards(AdminGuard)
export class AdminSuppressionsController {
  constructor(private readonly removeGlobal: RemoveGlobalSuppression) {}

  @Delete(':channel/:address')
  @HttpCode(204)
  @ApiOperation({ summary: 'Lifts an address off the global list (platform admin token only)' })
  async remove(@Param('channel') channel: string, @Param('address') address: string) {
    await this.removeGlobal.execute({ channel, address });
  }
}
