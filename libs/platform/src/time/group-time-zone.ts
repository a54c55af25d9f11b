/**
 * The group counts its days and months on Beijing time: a read ready at 23:30 on 31 May (UTC+8)
 * belongs to 31 May, whatever zone the server or the database session runs in.
 */
export const GROUP_TIME_ZONE = 'Asia/Shanghai';
