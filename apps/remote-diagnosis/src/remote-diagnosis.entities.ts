import { KnownMember, MESSAGING_ENTITIES } from '@countylink/messaging';
import { PERSISTENCE_ENTITIES } from '@countylink/persistence';
import { Read } from './reads/read.entity';
import { Report } from './reads/report.entity';
import { ReferralShare } from './sharing/referral-share.entity';
import { Instance } from './studies/instance.entity';
import { Series } from './studies/series.entity';
import { Study } from './studies/study.entity';
import { ReportTemplate } from './templates/report-template.entity';

/** Every table of the `diagnosis` schema. */
export const DIAGNOSIS_ENTITIES = [
  Study,
  Series,
  Instance,
  Read,
  Report,
  ReferralShare,
  ReportTemplate,
  KnownMember,
  ...MESSAGING_ENTITIES,
  ...PERSISTENCE_ENTITIES,
];
