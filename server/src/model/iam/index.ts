/**
 * IAM behind CloudTrail: which actions an event's call needed, their access level, resource
 * types, condition keys and dependent actions, from the service authorization reference.
 * Synchronous and pure; the data is bundled with whatever imports this module.
 */
export {
  ACCESS_LEVEL_ORDER,
  accessLevelRank,
  iamActionDescription,
  iamActionExists,
  iamActionInfo,
  iamActionsOfService,
  iamDataSource,
  iamDataUpdatedAt,
  iamDataVersion,
  iamServiceExists,
  iamServiceName,
  iamServicePrefixes,
  parseAccessLevel,
  serviceAuthorizationUrl,
  strongestAccessLevel,
} from './iamData';
export type { AccessLevel, IamActionInfo, IamResourceType } from './iamData';
export { eventSourcePrefix, iamPrefixForEventSource, resolveIamActions, undatedOperationName } from './resolve';
export type { IamResolution } from './resolve';
