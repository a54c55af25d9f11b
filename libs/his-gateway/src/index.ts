export * from './his-command.gate';
export * from './his-command-message';
