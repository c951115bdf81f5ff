/**
 * The AWS Certificate Manager API model (operations, parameters, types, constraints, enums and
 * errors), as published in the AWS SDK models, with lookups keyed the way CloudTrail logs name
 * things: request parameters in lowerCamelCase (`certificateArn` for `CertificateArn`).
 */
import model from './acm-api-model.json';

export interface ShapeRef {
  shape: string;
}

export interface Shape {
  type: 'structure' | 'string' | 'list' | 'integer' | 'blob' | 'timestamp' | 'long' | 'boolean' | 'map';
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  sensitive?: boolean;
  exception?: boolean;
  deprecated?: boolean;
}

export interface Operation {
  name: string;
  input?: ShapeRef;
  output?: ShapeRef;
  errors?: ShapeRef[];
  http?: { method: string; requestUri: string };
}

interface ApiModel {
  metadata: { apiVersion: string; serviceFullName: string; endpointPrefix: string };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

const api = model as unknown as ApiModel;

export const ACM_EVENT_SOURCE = 'acm.amazonaws.com';
export const ACM_ACME_EVENT_SOURCE = 'acm-acme.amazonaws.com';
export const ACM_API_VERSION = api.metadata.apiVersion;
export const ACM_SERVICE_NAME = api.metadata.serviceFullName;

/** Every operation of the ACM API, by name. */
export function acmOperations(): readonly Operation[] {
  return Object.values(api.operations);
}

export function acmOperation(name: string): Operation | undefined {
  return Object.prototype.hasOwnProperty.call(api.operations, name) ? api.operations[name] : undefined;
}

export function acmShape(name: string): Shape | undefined {
  return Object.prototype.hasOwnProperty.call(api.shapes, name) ? api.shapes[name] : undefined;
}

/** The name CloudTrail gives a member in requestParameters/responseElements. */
export function logName(memberName: string): string {
  return memberName.charAt(0).toLowerCase() + memberName.slice(1);
}

export interface Member {
  /** The member's name in the API model (`CertificateArn`). */
  name: string;
  /** Its name in CloudTrail logs (`certificateArn`). */
  logName: string;
  shapeName: string;
  shape: Shape;
  required: boolean;
}

/** The members of a structure shape, in model order. */
export function structureMembers(shapeName: string): Member[] {
  const shape = acmShape(shapeName);
  if (!shape?.members) {
    return [];
  }
  const required = new Set(shape.required ?? []);
  return Object.entries(shape.members).flatMap(([name, ref]) => {
    const memberShape = acmShape(ref.shape);
    return memberShape ? [{ name, logName: logName(name), shapeName: ref.shape, shape: memberShape, required: required.has(name) }] : [];
  });
}

/** Finds a member of a structure by its CloudTrail (or model) name. */
export function findMember(shapeName: string, name: string): Member | undefined {
  return structureMembers(shapeName).find((member) => member.logName === name || member.name === name);
}

/** The errors an operation can return, with their shapes. */
export function operationErrors(operation: Operation): string[] {
  return (operation.errors ?? []).map((error) => error.shape);
}
