import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { TenantId } from '@utskick/persistence';
import { ListOptOuts } from '@utskick/suppression';
import { ApiKeyGuard, CurrentTenant } from '@utskick/tenancy';

@ApiTags('opt-outs')
@ApiBearerAuth()
@Controller('v1/opt-outs')
@UseGuards(ApiKeyGuard)
export class OptOutsController {
  constructor(private readonly listOptOuts: ListOptOuts) {}

  @Get()
  @ApiOperation({ summary: "The tenant's opt-outs: book scope (addressBookId set) or tenant-wide" })
  @ApiQuery({ name: 'channel', required: false, enum: ['sms', 'email'] })
  @ApiQuery({ name: 'addressBookId', required: false })
  @ApiQuery({ name: 'address', required: false })
  list(@CurrentTenant() tenantId: TenantId, @Query() query: unknown) {
    return this.listOptOuts.execute({ tenantId, query });
  }
}
