import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantId } from '@utskick/persistence';
import { AnalyzeSms, analyzeSmsSchema } from '@utskick/sms';
import { ApiKeyGuard, CurrentTenant } from '@utskick/tenancy';
import { z } from 'zod';

@ApiTags('sms')
@ApiBearerAuth()
@Controller('v1/sms')
@UseGuards(ApiKeyGuard)
export class SmsController {
  constructor(private readonly analyzeSms: AnalyzeSms) {}

  @Post('analyze')
  @HttpCode(200)
  @ApiOperation({ summary: 'Encoding, parts and opt-out text of an SMS text; problems are reported, not refused' })
  @ApiBody({ schema: z.toJSONSchema(analyzeSmsSchema, { unrepresentable: 'any' }) as object })
  analyze(@CurrentTenant() tenantId: TenantId, @Body() body: unknown) {
    return this.analyzeSms.execute({ tenantId, body });
  }
}
