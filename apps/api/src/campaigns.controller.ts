import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  createCampaignSchema,
  CreateCampaign,
  EstimateCampaign,
  ExecuteCampaign,
  GetCampaign,
  ListCampaignMessages,
  ListCampaigns,
  PreviewCampaignEmail,
  previewEmailSchema,
  SendTestEmail,
  testEmailSchema,
} from '@utskick/campaigns';
import { ValidationError } from '@utskick/http';
import { TenantId } from '@utskick/persistence';
import { ApiKeyGuard, CurrentTenant } from '@utskick/tenancy';
import { z } from 'zod';
import { parseMessageQuery, parsePage } from './query';

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('v1/campaigns')
@UseGuards(ApiKeyGuard)
export class CampaignsController {
  constructor(
    private readonly createCampaign: CreateCampaign,
    private readonly getCampaign: GetCampaign,
    private readonly listCampaigns: ListCampaigns,
    private readonly executeCampaign: ExecuteCampaign,
    private readonly listMessages: ListCampaignMessages,
    private readonly estimateCampaign: EstimateCampaign,
    private readonly previewEmail: PreviewCampaignEmail,
    private readonly sendTestEmail: SendTestEmail,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a draft campaign' })
  @ApiBody({ schema: z.toJSONSchema(createCampaignSchema, { unrepresentable: 'any' }) as object })
  create(@CurrentTenant() tenantId: TenantId, @Body() body: unknown) {
    return this.createCampaign.execute({ tenantId, body });
  }

  @Get()
  list(@CurrentTenant() tenantId: TenantId, @Query() query: unknown) {
    return this.listCampaigns.execute({ tenantId, ...parsePage(query) });
  }

  @Get(':id')
  @ApiOperation({ summary: 'A campaign with its message counts by status' })
  get(@CurrentTenant() tenantId: TenantId, @Param('id') campaignId: string) {
    return this.getCampaign.execute({ tenantId, campaignId });
  }

  @Post(':id/estimate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Who will receive it, who will not and why, SMS parts, cost and the credit balance; equals what execute sends and charges' })
  estimate(@CurrentTenant() tenantId: TenantId, @Param('id') campaignId: string) {
    return this.estimateCampaign.execute({ tenantId, campaignId });
  }

  @Post(':id/execute')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue the campaign for dispatch; repeating it sends and charges nothing twice' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  execute(
    @CurrentTenant() tenantId: TenantId,
    @Param('id') campaignId: string,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    if (idempotencyKey !== undefined && (idempotencyKey.length < 1 || idempotencyKey.length > 200)) {
      throw new ValidationError([{ field: 'Idempotency-Key', reason: 'must be 1 to 200 characters' }]);
    }
    return this.executeCampaign.execute({ tenantId, campaignId, idempotencyKey });
  }

  @Post(':id/preview')
  @HttpCode(200)
  @ApiOperation({ summary: "An e-mail campaign rendered for one recipient (the named contact, else the audience's first): subject, text, HTML, From, Reply-To, list headers; links are placeholders" })
  @ApiBody({ schema: z.toJSONSchema(previewEmailSchema, { unrepresentable: 'any' }) as object, required: false })
  preview(@CurrentTenant() tenantId: TenantId, @Param('id') campaignId: string, @Body() body: unknown) {
    return this.previewEmail.execute({ tenantId, campaignId, body });
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send the preview rendering, subject prefixed "[TEST] ", to one address' })
  @ApiBody({ schema: z.toJSONSchema(testEmailSchema, { unrepresentable: 'any' }) as object })
  test(@CurrentTenant() tenantId: TenantId, @Param('id') campaignId: string, @Body() body: unknown) {
    return this.sendTestEmail.execute({ tenantId, campaignId, body });
  }

  @Get(':id/messages')
  @ApiOperation({ summary: 'Per-recipient log, filterable by status' })
  messages(@CurrentTenant() tenantId: TenantId, @Param('id') campaignId: string, @Query() query: unknown) {
    return this.listMessages.execute({ tenantId, campaignId, ...parseMessageQuery(query) });
  }
}
