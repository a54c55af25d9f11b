import { KnownMember1796182470415 } from './1796182470415-KnownMember';
import { AuditAppendOnly1796172000000 } from './1796172000000-AuditAppendOnly';
import { ReferralShareEnds1796171027797 } from './1796171027797-ReferralShareEnds';
import { ReportTemplate1796167032803 } from './1796167032803-ReportTemplate';
import { ReferralShare1795356106030 } from './1795356106030-ReferralShare';
import { Init1795346859427 } from './1795346859427-Init';
/** Generated migrations, oldest first. Never edit one that has shipped; generate a new one. */
export const DIAGNOSIS_MIGRATIONS: Array<new () => object> = [
  Init1795346859427,
  ReferralShare1795356106030,
  ReportTemplate1796167032803,
  ReferralShareEnds1796171027797,
  AuditAppendOnly1796172000000,
  KnownMember1796182470415,
];
