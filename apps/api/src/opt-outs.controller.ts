import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { TenantId } from '@utskick/persistence';
import { ImportOptOuts, importOptOutsSchema, ListOptOuts, RemoveOptOut } from '@utskick/suppression';
import { z } from 'zod';
import { ApiKeyGuard, CurrentTenant } from '@utskick/tenancy';

@ApiTags('opt-outs')
@ApiBearerAuth()
@Controller('v1/opt-outs')
@UseGuards(ApiKeyGuard)
export class OptOutsController {
  constructor(
    private readonly listOptOuts: ListOptOuts,
    private readonly importOptOuts: ImportOptOuts,
    private readonly removeOptOut: RemoveOptOut,
  ) {}

  @Post('import')
  @HttpCode(200)
  @ApiOperation({ summary: 'Imports an opt-out list (≤ 10000 addresses): of a book, or tenant-wide; bad rows are named by index' })
  @ApiBody({ schema: z.toJSONSchema(importOptOutsSchema, { io: 'input' }) as object })
  import(@CurrentTenant() tenantId: TenantId, @Body() body: unknown) {
    return this.importOptOuts.execute({ tenantId, body });
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: "Removes one of the tenant's opt-outs (an SMS STOP is lifted only by the recipient's START)" })
  async remove(@CurrentTenant() tenantId: TenantId, @Param('id') id: string) {
    await this.removeOptOut.execute({ tenantId, id });
  }

  @Get()
  @ApiOperation({ summary: "The tenant's opt-outs: book scope (addressBookId set) or tenant-wide" })
  @ApiQuery({ name: 'channel', required: false, enum: ['sms', 'email'] })
  @ApiQuery({ name: 'addressBookId', required: false })
  @ApiQuery({ name: 'address', required: false })
  list(@CurrentTenant() tenantId: TenantId, @Query() query: unknown) {
    return this.listOptOuts.execute({ tenantId, query });
  }
}
