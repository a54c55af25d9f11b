import { KnownMember1796179146553 } from './1796179146553-KnownMember';
import { AuditAppendOnly1796172000000 } from './1796172000000-AuditAppendOnly';
import { Init1795346723413 } from './1795346723413-Init';
/** Generated migrations, oldest first. Never edit one that has shipped; generate a new one. */
export const SCHEDULING_MIGRATIONS: Array<new () => object> = [
  Init1795346723413,
  AuditAppendOnly1796172000000,
  KnownMember1796179146553,
];
