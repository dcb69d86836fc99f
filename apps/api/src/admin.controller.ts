import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { parseInput } from '@utskick/http';
import { AdminGuard, CreateTenant } from '@utskick/tenancy';
import { z } from 'zod';

const createTenantSchema = z.object({ name: z.string().trim().min(1, 'is required').max(200, 'at most 200 characters') });

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin')
@UseGuards(AdminGuard)
export class AdminController {
  constructor(private readonly createTenant: CreateTenant) {}

  @Post('tenants')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a tenant; answers its API key once (only its SHA-256 is stored)' })
  @ApiBody({ schema: z.toJSONSchema(createTenantSchema) as object })
  async create(@Body() body: unknown) {
    return this.createTenant.execute(parseInput(createTenantSchema, body));
  }
}
