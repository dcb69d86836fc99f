import { Module } from '@nestjs/common';
import { MessageLedger } from '@utskick/messages';
import { HandleInboundSms } from './handle-inbound-sms';
import { ListCampaignReplies } from './list-campaign-replies';
import { ConfirmEmailAddress } from './confirm-email-address';
import { ListOptOuts } from './list-opt-outs';
import { ListEmailAddresses } from './list-email-addresses';
import { ReadRecipientLink } from './read-recipient-link';
import { ResubscribeByLink } from './resubscribe-by-link';
import { UnsubscribeByLink } from './unsubscribe-by-link';
import { CheckSuppression } from './check-suppression';
import { ImportOptOuts } from './import-opt-outs';
import { ListSuppressions } from './list-suppressions';
import { RemoveAddressProblem } from './remove-address-problem';
import { RemoveGlobalSuppression } from './remove-global-suppression';
import { RemoveOptOut } from './remove-opt-out';

const useCases = [
  HandleInboundSms,
  ListCampaignReplies,
  ListOptOuts,
  ListEmailAddresses,
  ReadRecipientLink,
  UnsubscribeByLink,
  ResubscribeByLink,
  ConfirmEmailAddress,
  ListSuppressions,
  CheckSuppression,
  RemoveOptOut,
  RemoveAddressProblem,
  ImportOptOuts,
  RemoveGlobalSuppression,
];

@Module({ providers: [MessageLedger, ...useCases], exports: useCases })
export class SuppressionModule {}
