export * from './postgres/test-postgres';
export * from './kafka-mock';
export * from './kafka-mock/event-collector';
export * from './app/test-app';
export * from './app/wait-for';
export * from './fhir/validate-fhir';
export * from './dicom/orthanc';
export * from './kafka-apache';
