import { Module } from '@nestjs/common';
import { AnalyzeSms } from './analyze-sms';

@Module({
  providers: [AnalyzeSms],
  exports: [AnalyzeSms],
})
export class SmsModule {}
