import { Init1795347272385 } from './1795347272385-Init';
/** Generated migrations, oldest first. Never edit one that has shipped; generate a new one. */
export const REALTIME_MIGRATIONS: Array<new () => object> = [Init1795347272385];
