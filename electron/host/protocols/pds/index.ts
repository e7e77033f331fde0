export * from './layout';
export * from './info';
export * from './rpc';
export * from './query-data';
