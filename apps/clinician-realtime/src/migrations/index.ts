import { AuditAppendOnly1796172000000 } from './1796172000000-AuditAppendOnly';
import { AlertReadBack1796157475656 } from './1796157475656-AlertReadBack';
import { Init1795347272385 } from './1795347272385-Init';
/** Generated migrations, oldest first. Never edit one that has shipped; generate a new one. */
export const REALTIME_MIGRATIONS: Array<new () => object> = [
  Init1795347272385,
  AlertReadBack1796157475656,
  AuditAppendOnly1796172000000,
];
