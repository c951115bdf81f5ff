/** The formatted (re-laid-out) view of a log and the offset map between it and the original. */
export * from './formatLog';
export * from './offsetMap';
