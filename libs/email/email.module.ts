import { Module } from '@nestjs/common';
import { CreateEmailLayout, EmailLayoutsRepository, UpdateEmailLayout } from './email-layouts';
import { CreateSendingDomain, SendingDomainsRepository } from './sending-domains';

const exported = [EmailLayoutsRepository, CreateEmailLayout, UpdateEmailLayout, SendingDomainsRepository, CreateSendingDomain];

@Module({ providers: exported, exports: exported })
export class EmailModule {}
