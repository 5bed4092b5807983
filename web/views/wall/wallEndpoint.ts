// The wall bundle's URL for a wall URL's query (?score=final ranks the last complete year): the
// router starts the request and the wall's view reads it, so both must name the same URL.
import { api } from '../../api/endpoints.ts';
import { scopeFromQuery } from '../scoreScope.ts';

export const wallEndpoint = (query: Parameters<typeof scopeFromQuery>[0]) => api.wall(scopeFromQuery(query));
