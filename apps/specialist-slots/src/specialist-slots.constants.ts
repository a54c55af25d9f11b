/** The app's schema, and the name of its TypeORM data source. */
export const SCHEDULING_SCHEMA = 'scheduling';
export const SCHEDULING_DATA_SOURCE = 'scheduling';
export const SCHEDULING_APP = 'specialist-slots';
