// Named aliases over the generated OpenAPI types (src/api/schema.d.ts, from `npm run gen:api`).
import type { components } from './schema';

type Schemas = components['schemas'];

export type TokenResponse = Schemas['TokenResponse'];
export type SetupStatus = Schemas['SetupStatus'];
export type Me = Schemas['Me'];
export type Health = Schemas['Health'];
export type DatabaseHealth = Schemas['DatabaseHealth'];
export type ErrorBody = Schemas['ErrorBody'];
export type ErrorDetail = Schemas['ErrorDetail'];
