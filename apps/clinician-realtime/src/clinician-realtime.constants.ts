/** The app's schema, the name of its TypeORM data source, and its Socket.IO namespace. */
export const REALTIME_SCHEMA = 'realtime';
export const REALTIME_DATA_SOURCE = 'realtime';
export const REALTIME_APP = 'clinician-realtime';
export const CLINICIAN_NAMESPACE = '/clinician';
