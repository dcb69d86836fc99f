import { Module } from '@nestjs/common';
import { GetCredits, ListCreditHistory, TopUpCredits } from './credits';
import { RefundUnsentParts } from './refund-unsent-parts';

const useCases = [TopUpCredits, GetCredits, ListCreditHistory, RefundUnsentParts];

@Module({ providers: useCases, exports: useCases })
export class CreditsModule {}
