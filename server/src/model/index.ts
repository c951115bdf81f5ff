/**
 * The CloudTrail model: everything that understands CloudTrail files, with no dependency on
 * VS Code or on the language server protocol. The server, the command line and the benchmark
 * all build on it.
 */
export * from './cloudTrailDocument';
export * from './eventGrouping';
export * from './identity';
export * from './json';
export * from './problems';
export * from './validation';
export * from './incremental';
