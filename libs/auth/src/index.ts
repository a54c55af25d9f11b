export * from './roles';
export * from './token-verifier';
export * from './local-issuer';
export * from './auth.decorators';
export * from './auth.guard';
export * from './auth.module';
export * from './demo/demo-logins';
export * from './auth-config';
