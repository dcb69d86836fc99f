import { Module } from '@nestjs/common';
import { ContactsModule } from '@utskick/contacts';
import { MessageLedger } from '@utskick/messages';
import { CampaignsRepository } from './campaigns.repository';
import { CreateCampaign } from './create-campaign';
import { EstimateCampaign } from './estimate-campaign';
import { ExecuteCampaign } from './execute-campaign';
import { FanOutCampaign } from './fan-out-campaign';
import { GetCampaign, ListCampaigns } from './get-campaign';
import { ListCampaignMessages } from './list-campaign-messages';
import { CompleteCampaigns, FindDueCampaigns, SweepStaleMessages } from './release-campaigns';
import { RequestEmailConfirmation } from './request-email-confirmation';

const useCases = [
  CreateCampaign,
  GetCampaign,
  ListCampaigns,
  ExecuteCampaign,
  EstimateCampaign,
  ListCampaignMessages,
  FanOutCampaign,
  FindDueCampaigns,
  CompleteCampaigns,
  SweepStaleMessages,
  RequestEmailConfirmation,
];

@Module({
  imports: [ContactsModule],
  providers: [CampaignsRepository, MessageLedger, ...useCases],
  exports: [CampaignsRepository, ...useCases],
})
export class CampaignsModule {}
