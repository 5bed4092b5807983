// POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me: requests and responses.
import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 100, description: 'the account name' }),
  password: Type.String({ minLength: 1, maxLength: 200, description: 'the password' }),
});
export type LoginBody = Static<typeof LoginBody>;

export const Me = Type.Object({
  username: Type.String(),
  role: Type.Enum(['leader', 'analyst', 'county', 'display', 'admin', 'reviewer']),
  county_code: Nullable(Type.String(), { description: 'the county a county user is bound to' }),
  via: Type.Enum(['session', 'token']),
});
export type Me = Static<typeof Me>;

export const MeResponse = Type.Object({ user: Me });
export type MeResponse = Static<typeof MeResponse>;

export const LogoutResponse = Type.Object({ ok: Type.Boolean() });
