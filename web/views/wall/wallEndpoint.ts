// The wall bundle's URL for a wall URL's query (?score=final ranks the last complete year): the
// router starts the request and the wall's view reads it, so both must name the same URL (a playlist's
// city page adds its unit).
import { api } from '../../api/endpoints.ts';
import { scopeFromQuery } from '../scoreScope.ts';

export const wallEndpoint = (query: Parameters<typeof scopeFromQuery>[0], unit?: string) => api.wall(scopeFromQuery(query), unit);
