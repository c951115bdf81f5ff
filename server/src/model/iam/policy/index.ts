/**
 * Least privilege from the log: the IAM policy a group of events needed, and a policy document
 * compared with what the events did.
 */
export * from './catalogue';
export * from './compare';
export * from './evaluate';
export * from './generate';
export * from './policyDocument';
export * from './report';
export * from './resourceTypes';
export * from './usage';
export * from './wildcard';
