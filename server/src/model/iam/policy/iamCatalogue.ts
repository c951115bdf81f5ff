/** The IAM data bundled with the model, as the catalogue the policy work reads. */
import { iamActionExists, iamServiceName, resolveIamActions } from '..';
import { IamCatalogue } from './catalogue';

export const iamCatalogue: IamCatalogue = { resolveIamActions, iamActionExists, iamServiceName };
