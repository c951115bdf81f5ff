export * from './timeBuckets';
export * from './timelineSources';
export * from './exportRows';
