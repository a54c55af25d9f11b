import { AuditAppendOnly1796172000000 } from './1796172000000-AuditAppendOnly';
import { Init1795344923369 } from './1795344923369-Init';
/** Generated migrations, oldest first. Never edit one that has shipped; generate a new one. */
export const REFERRAL_MIGRATIONS: Array<new () => object> = [Init1795344923369, AuditAppendOnly1796172000000];
