// Named aliases over the generated OpenAPI types (src/api/schema.d.ts, from `npm run gen:api`).
// They are taken from the operations' success responses rather than from component names, so
// they keep working whatever the server's generator calls its schemas.
import type { paths } from './schema';

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;

export type TokenResponse = JsonOf<paths['/api/auth/login']['post']['responses'][200]>;
export type SetupStatus = JsonOf<paths['/api/setup/status']['get']['responses'][200]>;
export type Me = JsonOf<paths['/api/auth/me']['get']['responses'][200]>;
export type Health = JsonOf<paths['/api/monitoring/health']['get']['responses'][200]>;
export type DatabaseHealth = Health['database'];
