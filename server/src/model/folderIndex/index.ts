/**
 * Indexing folders of CloudTrail logs from disk: gzip and plain files, any size, streamed.
 * Not exported from the model's main index, because it reads files and starts worker threads.
 */
export * from './fileEntries';
export * from './fileIndexer';
export * from './folderFindings';
export * from './folderGrouping';
export * from './folderIndex';
export * from './folderWatcher';
export * from './logFiles';
export * from './indexRunner';
export * from './logTextIndexer';
export * from './recordSplitter';
export * from './recordSummaries';
