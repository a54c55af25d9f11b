/** The app's schema, and the name of its TypeORM data source. */
export const DIAGNOSIS_SCHEMA = 'diagnosis';
export const DIAGNOSIS_DATA_SOURCE = 'diagnosis';
export const DIAGNOSIS_APP = 'remote-diagnosis';
