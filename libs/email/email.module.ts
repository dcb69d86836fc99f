import { Module } from '@nestjs/common';
import { CreateEmailLayout, EmailLayoutsRepository, UpdateEmailLayout } from './email-layouts';
import { CreateSendingDomain, SendingDomainsRepository } from './sending-domains';
import { txtResolverProvider, VerifySendingDomain } from './verify-sending-domain';

const exported = [EmailLayoutsRepository, CreateEmailLayout, UpdateEmailLayout, SendingDomainsRepository, CreateSendingDomain, VerifySendingDomain];

@Module({ providers: [...exported, txtResolverProvider], exports: exported })
export class EmailModule {}
