import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { confirmationRequestSchema, RequestEmailConfirmation } from '@utskick/campaigns';
import { TenantId } from '@utskick/persistence';
import { ListEmailAddresses } from '@utskick/suppression';
import { ApiKeyGuard, CurrentTenant } from '@utskick/tenancy';
import { z } from 'zod';

/** Double opt-in: the status of each of the tenant's e-mail addresses, and confirmation requests. */
@ApiTags('email')
@ApiBearerAuth()
@Controller('v1/email')
@UseGuards(ApiKeyGuard)
export class EmailAddressesController {
  constructor(
    private readonly listAddresses: ListEmailAddresses,
    private readonly requestConfirmation: RequestEmailConfirmation,
  ) {}

  @Get('addresses')
  @ApiOperation({ summary: "Status of each contact e-mail address: unconfirmed (no record), confirmation_requested, confirmed, or problem with its kind" })
  @ApiQuery({ name: 'status', required: false, enum: ['unconfirmed', 'confirmation_requested', 'confirmed', 'problem'] })
  @ApiQuery({ name: 'address', required: false })
  list(@CurrentTenant() tenantId: TenantId, @Query() query: unknown) {
    return this.listAddresses.execute({ tenantId, query });
  }

  @Post('confirmation-requests')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a confirmation request to every Unconfirmed address of the tenant (or of one address book); answers the campaign that sends it' })
  @ApiBody({ schema: z.toJSONSchema(confirmationRequestSchema) as object, required: false })
  request(@CurrentTenant() tenantId: TenantId, @Body() body: unknown) {
    return this.requestConfirmation.execute({ tenantId, body });
  }
}
