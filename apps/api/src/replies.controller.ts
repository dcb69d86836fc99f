import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { TenantId } from '@utskick/persistence';
import { ListCampaignReplies } from '@utskick/suppression';
import { ApiKeyGuard, CurrentTenant } from '@utskick/tenancy';

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('v1/campaigns/:id/replies')
@UseGuards(ApiKeyGuard)
export class RepliesController {
  constructor(private readonly listReplies: ListCampaignReplies) {}

  @Get()
  @ApiOperation({ summary: "SMS received in answer to the campaign's messages, with the keyword action each one had" })
  @ApiQuery({ name: 'action', required: false, enum: ['stop', 'start', 'help', 'reply'] })
  list(@CurrentTenant() tenantId: TenantId, @Param('id') campaignId: string, @Query() query: unknown) {
    return this.listReplies.execute({ tenantId, campaignId, query });
  }
}
