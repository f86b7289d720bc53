export * from './cipher.ts';
export * from './erase.ts';
export * from './errors.ts';
export * from './key-store.ts';
export * from './key-wrapper.ts';
export * from './kms-key-wrapper.ts';
export * from './private-store.ts';
