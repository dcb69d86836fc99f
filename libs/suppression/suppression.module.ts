import { Module } from '@nestjs/common';
import { HandleInboundSms } from './handle-inbound-sms';
import { ListCampaignReplies } from './list-campaign-replies';
import { ListOptOuts } from './list-opt-outs';

const useCases = [HandleInboundSms, ListCampaignReplies, ListOptOuts];

@Module({ providers: useCases, exports: useCases })
export class SuppressionModule {}
