export * from './layout';
export * from './info';
export * from './command';
export * from './opcodes';
export * from './queries';
