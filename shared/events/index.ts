export * from './catalogue.ts';
export * from './errors.ts';
export * from './hash-chain.ts';
export * from './store.ts';
export * from './table.ts';
