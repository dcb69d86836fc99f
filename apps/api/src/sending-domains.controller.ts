import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { loadConfig, sendingDomainSchema } from '@utskick/config';
import { CreateSendingDomain, createSendingDomainSchema, SendingDomainsRepository, toSendingDomainView, VerifySendingDomain } from '@utskick/email';
import { toPage } from '@utskick/http';
import { TenantId } from '@utskick/persistence';
import { ApiKeyGuard, CurrentTenant } from '@utskick/tenancy';
import { z } from 'zod';
import { parsePage } from './query';

@ApiTags('email')
@ApiBearerAuth()
@Controller('v1/email/domains')
@UseGuards(ApiKeyGuard)
export class SendingDomainsController {
  private readonly spfInclude = loadConfig(sendingDomainSchema).SPF_INCLUDE;

  constructor(
    private readonly domains: SendingDomainsRepository,
    private readonly createDomain: CreateSendingDomain,
    private readonly verifyDomain: VerifySendingDomain,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a sending domain: a DKIM key is generated; answers the SPF, DKIM and DMARC records to publish (then POST …/verify); 409 when taken' })
  @ApiBody({ schema: z.toJSONSchema(createSendingDomainSchema, { unrepresentable: 'any', io: 'input' }) as object })
  create(@CurrentTenant() tenantId: TenantId, @Body() body: unknown) {
    return this.createDomain.execute({ tenantId, body });
  }

  @Get()
  async list(@CurrentTenant() tenantId: TenantId, @Query() query: unknown) {
    const { limit, cursor } = parsePage(query);
    return toPage(await this.domains.list(tenantId, limit + 1, cursor), limit, (d) => toSendingDomainView(d, this.spfInclude));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A sending domain with the DNS records to publish' })
  async get(@CurrentTenant() tenantId: TenantId, @Param('id') id: string) {
    return toSendingDomainView(await this.domains.get(tenantId, id), this.spfInclude);
  }

  @Post(':id/verify')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Look up the DKIM record in DNS; when it carries this domain\'s key the domain is verified and mail goes From it. 422 when missing or another key, 503 when DNS does not answer',
  })
  verify(@CurrentTenant() tenantId: TenantId, @Param('id') id: string) {
    return this.verifyDomain.execute({ tenantId, id });
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentTenant() tenantId: TenantId, @Param('id') id: string) {
    await this.domains.delete(tenantId, id);
  }
}
