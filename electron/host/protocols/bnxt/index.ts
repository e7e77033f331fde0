export * from './layout';
export * from './hwrm';
